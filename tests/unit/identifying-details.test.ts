import { describe, expect, it } from "vitest";
import {
  describeKinds,
  findIdentifyingDetails,
  highlightIdentifyingDetails,
  highlightSegments,
  isValidNhsNumber,
  kindsOf,
  normaliseForCheck,
  stripBidiControls,
  type IdentifyingKind,
} from "../../src/lib/identifying-details.js";

/** The matched pieces of text of one kind. */
const found = (text: string, kind?: IdentifyingKind) => findIdentifyingDetails(text).filter((m) => !kind || m.kind === kind).map((m) => m.text);

describe("e-mail addresses", () => {
  it("finds them, with their exact position", () => {
    const text = "Write to amina.k+ppg@example.co.uk about it";
    const [m] = findIdentifyingDetails(text);
    expect(m).toEqual({ kind: "email", start: 9, end: 34, text: "amina.k+ppg@example.co.uk" });
    expect(found("contact SAM@EXAMPLE.ORG now", "email")).toEqual(["SAM@EXAMPLE.ORG"]);
  });
  it("does not flag an @ that is not an address", () => {
    expect(found("meet @ the library at 10am")).toEqual([]);
    expect(found("user@localhost")).toEqual([]);
  });
});

describe("NHS numbers", () => {
  it("checks the modulus-11 check digit", () => {
    expect(isValidNhsNumber("9434765919")).toBe(true);
    expect(isValidNhsNumber("9434765918")).toBe(false);
    // Remainder 1 -> check digit 10: never valid.
    expect(isValidNhsNumber("1234567890")).toBe(false);
    expect(isValidNhsNumber("943476591")).toBe(false);
  });
  it("finds a valid number written together, spaced 3-3-4 or with dashes", () => {
    expect(found("her number is 9434765919.", "nhs-number")).toEqual(["9434765919"]);
    expect(found("NHS no 943 476 5919", "nhs-number")).toEqual(["943 476 5919"]);
    expect(found("NHS no 943-476-5919 ok", "nhs-number")).toEqual(["943-476-5919"]);
  });
  it("ignores a 10-digit number that fails the check", () => {
    expect(findIdentifyingDetails("reference 9434765918")).toEqual([]);
    expect(findIdentifyingDetails("reference 943 476 5918")).toEqual([]);
    expect(findIdentifyingDetails("1234567890")).toEqual([]);
  });
  it("treats a failing 10-digit number that looks like a phone number as a phone number", () => {
    expect(isValidNhsNumber("0123456788")).toBe(false);
    expect(findIdentifyingDetails("ring 0123456788").map((m) => m.kind)).toEqual(["phone"]);
  });
  it("does not take digits out of a longer number; any separators count", () => {
    expect(found("order 19434765919", "nhs-number")).toEqual([]);
    expect(found("943 476-5919", "nhs-number")).toEqual(["943 476-5919"]);
  });
});

describe("UK phone numbers", () => {
  it.each([
    ["07700 900123", "07700 900123"],
    ["07700900123", "07700900123"],
    ["07700-900-123", "07700-900-123"],
    ["020 7946 0018", "020 7946 0018"],
    ["(020) 7946 0018", "(020) 7946 0018"],
    ["0161 496 0000", "0161 496 0000"],
    ["01632 960001", "01632 960001"],
    ["0300 123 4567", "0300 123 4567"],
    ["+44 7700 900123", "+44 7700 900123"],
    ["+447700900123", "+447700900123"],
    ["+44 (0)20 7946 0018", "+44 (0)20 7946 0018"],
  ])("finds %s", (number, expected) => {
    expect(found(`You can ring her on ${number}, any time`, "phone")).toEqual([expected]);
  });
  it("stops at the end of the number even when other figures follow", () => {
    expect(found("call 07700 900123 2 people agreed", "phone")).toEqual(["07700 900123"]);
  });
  it("does not flag years, counts, times, dates, prices or long references", () => {
    for (const text of [
      "In 2024 about 12 people came, 3 of them for the first time",
      "The session ran from 10:30 to 12:00 on 07/11/2026",
      "We waited 0 to 45 minutes",
      "It costs £1,200",
      "Reference 0770090012345678",
      "08001111 is a free number",
      "Room 0123 on floor 2",
      "about 20 - 30 minutes",
    ]) {
      expect(findIdentifyingDetails(text), text).toEqual([]);
    }
  });
});

describe("UK postcodes", () => {
  it.each(["SW1A 1AA", "M1 1AE", "b33 8th", "CR2 6XH", "DN55 1PT", "W1A 0AX", "EC1A 1BB", "SW1A1AA"])("finds %s", (pc) => {
    expect(found(`She lives at ${pc} near the park`, "postcode")).toEqual([pc]);
  });
  it("does not flag ordinary words, times or amounts", () => {
    for (const text of [
      "HOLD ON",
      "Please hold on a minute",
      "We met at 2pm and again at 3pm",
      "a4 paper is fine",
      "The B12 injections were late",
      "covid19 jabs",
      "she is in year 7 and 2nd in her class",
      "ab12cd",
    ]) {
      expect(found(text, "postcode"), text).toEqual([]);
    }
  });
});

describe("phrases that may name someone", () => {
  it.each([
    ["Hello, my name is Amina and I came with my friend", "my name is Amina"],
    ["I am called Jo by everyone", "I am called Jo"],
    ["people just call me Bex", "call me Bex"],
    ["my son Ahmed missed his appointment", "my son Ahmed"],
    ["My daughter Sara waited two hours", "My daughter Sara"],
  ])("finds it in %s", (text, expected) => {
    expect(found(text, "name-phrase")).toEqual([expected]);
  });
  it("does not flag relations or calls without a name", () => {
    for (const text of ["my son was ill for a week", "they never call me back", "call me when the letter arrives", "my daughter and I waited"]) {
      expect(found(text, "name-phrase"), text).toEqual([]);
    }
  });
});

describe("several matches", () => {
  const text = "My name is Dee, phone 07700 900123, email dee@example.com, NHS 943 476 5919, postcode M1 1AE.";
  it("finds each kind once, in text order, without overlaps", () => {
    const matches = findIdentifyingDetails(text);
    expect(matches.map((m) => m.kind)).toEqual(["name-phrase", "phone", "email", "nhs-number", "postcode"]);
    for (const m of matches) expect(text.slice(m.start, m.end)).toBe(m.text);
    expect(kindsOf(matches)).toEqual(["email", "nhs-number", "phone", "postcode", "name-phrase"]);
    expect(describeKinds(["phone", "postcode"])).toBe("a phone number and a postcode");
  });
  it("finds nothing in plain text", () => {
    expect(findIdentifyingDetails("")).toEqual([]);
    expect(findIdentifyingDetails("The reception desk could have a quieter space for people who find waiting hard.")).toEqual([]);
  });
});

describe("highlighting", () => {
  it("escapes everything and wraps only the matches", () => {
    const html = highlightIdentifyingDetails('<script>alert("x")</script> ring 07700 900123 & ask');
    expect(html).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; ring <mark class="app-highlight" data-kind="phone">07700 900123<span class="nhsuk-u-visually-hidden"> (a phone number)</span></mark> &amp; ask',
    );
    expect(html).not.toContain("<script>");
  });
  it("cuts the text into plain and matched segments that join back to the text", () => {
    const text = "email a@b.com or M1 1AE";
    const segments = highlightSegments(text);
    expect(segments).toEqual([{ text: "email " }, { text: "a@b.com", kind: "email" }, { text: " or " }, { text: "M1 1AE", kind: "postcode" }]);
    expect(segments.map((s) => s.text).join("")).toBe(text);
  });
});

// The spellings the check must see through (issue #15), and what must still pass.
// Each row: the text, and the kinds found (empty: nothing may be flagged).
describe("spellings: caught and not caught", () => {
  const ZWSP = "\u200B";
  const RLO = "\u202E";
  const PDF = "\u202C";
  const caught: [string, IdentifyingKind][] = [
    // NHS numbers, any grouping and separators (943 476 5919 is valid).
    ["NHS 9434765919", "nhs-number"],
    ["NHS 943 476 5919", "nhs-number"],
    ["NHS 94 34 76 59 19", "nhs-number"],
    ["NHS 9434-765-919", "nhs-number"],
    ["NHS 943.476.5919", "nhs-number"],
    ["NHS 943/476/5919", "nhs-number"],
    ["NHS 9 4 3 4 7 6 5 9 1 9", "nhs-number"],
    [`NHS 943${ZWSP}476${ZWSP}5919`, "nhs-number"],
    ["NHS ٩٤٣ ٤٧٦ ٥٩١٩", "nhs-number"],
    ["NHS ９４３ ４７６ ５９１９", "nhs-number"],
    ["NHS 943 476 59l9".replace("l", "1"), "nhs-number"],
    // Phones: 0, +44, 0044, 44, any separators, other digits, O for zero.
    ["ring 07700 900123", "phone"],
    ["ring +44 7700 900123", "phone"],
    ["ring +44 (0) 7700 900 123", "phone"],
    ["ring 0044 7700 900123", "phone"],
    ["ring 00447700900123", "phone"],
    ["ring 44 7700 900123", "phone"],
    ["ring 447700900123", "phone"],
    ["ring 07700.900.123", "phone"],
    ["ring 07700/900/123", "phone"],
    ["ring 0 7 7 0 0 9 0 0 1 2 3", "phone"],
    ["ring O77OO 9OO123", "phone"],
    ["ring 077OO 9OO123", "phone"],
    ["ring ٠٧٧٠٠ ٩٠٠١٢٣", "phone"],
    ["ring ۰۷۷۰۰ ۹۰۰۱۲۳", "phone"],
    ["ring ０７７００ ９００１２３", "phone"],
    [`ring 07700${ZWSP}900${ZWSP}123`, "phone"],
    [`ring ${RLO}07700 900123${PDF}`, "phone"],
    // Postcodes: any case, with or without the space.
    ["lives at SW1A 1AA", "postcode"],
    ["lives at sw1a 1aa", "postcode"],
    ["lives at sw1a1aa", "postcode"],
    ["lives at M11AE", "postcode"],
    ["lives at m1 1ae", "postcode"],
    ["lives at ＳＷ１Ａ １ＡＡ", "postcode"],
    // E-mail addresses, spelled out.
    ["write to amina@example.com", "email"],
    ["write to amina＠example.com", "email"],
    ["write to amina at example dot com", "email"],
    ["write to amina [at] example [dot] com", "email"],
    ["write to amina (at) example (dot) co (dot) uk", "email"],
    ["write to amina(at)example.com", "email"],
    ["write to amina {at} example.org", "email"],
    ["write to AMINA AT EXAMPLE DOT COM", "email"],
    // A title and a name.
    ["Please ring Mrs Ahmed", "name-phrase"],
    ["Dr Smith was kind", "name-phrase"],
    ["dr smith was kind", "name-phrase"],
    ["Dr. Smith was kind", "name-phrase"],
    ["ask Mr jones", "name-phrase"],
    ["Miss Patel helped", "name-phrase"],
    ["Nurse Okafor helped", "name-phrase"],
    // A kinship word and a name, in any case.
    ["my son Ahmed", "name-phrase"],
    ["my son ahmed missed it", "name-phrase"],
    ["MY SON AHMED missed it", "name-phrase"],
    ["my daughter, Sara, waited", "name-phrase"],
    ["our neighbour fatima helps", "name-phrase"],
    ["my name is amina", "name-phrase"],
    // A house number with a street type, a flat number.
    ["she lives at 14 Park Road", "address"],
    ["she lives at 14 park road", "address"],
    ["at 3a High Street", "address"],
    ["22 Acacia Avenue", "address"],
    ["flat 3", "address"],
    ["Flat 12b, the tower", "address"],
    ["apartment 7", "address"],
    // Dates of birth.
    ["DOB 12/03/1985", "date-of-birth"],
    ["d.o.b. 12.03.85", "date-of-birth"],
    ["date of birth: 3 March 1990", "date-of-birth"],
    ["born on 1st May 2001", "date-of-birth"],
    ["born 1985", "date-of-birth"],
    ["she was born in 1979", "date-of-birth"],
    ["birthday is 4 July", "date-of-birth"],
    ["he is 12/03/1985", "date-of-birth"],
    ["her birth: 3 March 1990".replace("her birth:", "born"), "date-of-birth"],
  ];
  it.each(caught)("catches %s (%s)", (text, kind) => {
    expect(findIdentifyingDetails(text).map((m) => m.kind)).toContain(kind);
  });

  const passes = [
    "B12 injections were late",
    "The B12 injections were late again",
    "call me back",
    "they never call me back",
    "Please call me back about the letter",
    "my son was ill for a week",
    "my son and I waited",
    "my daughter needs a repeat prescription",
    "my mum has dementia",
    "my friend came with me",
    "Dr appointments are hard to get",
    "the Dr said it was fine",
    "Mrs and Mr are both fine titles",
    "We waited 2 hours in the park",
    "12 people came on Park Road day",
    "There were 3 of us at the close of the session",
    "about 20 - 30 minutes",
    "In 2024 about 12 people came, 3 of them for the first time",
    "The session ran from 10:30 to 12:00 on 07/11/2026",
    "Target date 1 March 2027",
    "meet at the library at 10am",
    "we met at the community centre. Then we went home",
    "Book 2 weeks ahead",
    "covid19 jabs",
    "a4 paper is fine",
    "Room 4 was cold",
    "It costs £1,200",
    "Reference 0770090012345678",
    "Over 44 people came, 7 of them new",
    "The reception desk could have a quieter space for people who find waiting hard.",
    "Interpreters in Arabic, Tigrinya and Farsi",
    "Access and appointments",
    "Women's group at the library",
  ];
  it.each(passes)("lets through %s", (text) => {
    expect(findIdentifyingDetails(text)).toEqual([]);
  });

  it("highlights the writer's own text, not the normalised one", () => {
    const text = "ring ０７７００ ９００１２３ today";
    const [m] = findIdentifyingDetails(text);
    expect(m!.text).toBe("０７７００ ９００１２３");
    expect(text.slice(m!.start, m!.end)).toBe(m!.text);
    const hidden = `ring 07700${ZWSP}900123`;
    expect(findIdentifyingDetails(hidden)[0]!.text).toBe(`07700${ZWSP}900123`);
  });

  it("normalises: NFKC, no zero-width or bidi controls, digits folded, O among digits", () => {
    expect(normaliseForCheck(`a${ZWSP}b${RLO}c`).text).toBe("abc");
    expect(normaliseForCheck("٠١٢٣ ۴۵ ９").text).toBe("0123 45 9");
    expect(normaliseForCheck("9OO1 and O7 and Oxford and BOO7").text).toBe("9001 and 07 and Oxford and BOO7");
    expect(stripBidiControls(`${RLO}321009 00770${PDF}`)).toBe("321009 00770");
  });
});

describe("names written in Ukrainian (or Russian) and Arabic", () => {
  // What the tester saved with no warning, and a few more: titles in their case forms, kinship words with or
  // without a possessive, Arabic titles and kinship words with prefixes ("و", "ب", "ل").
  it.each([
    ["Пані Олена з рецепції кричала.", "Пані Олена"],
    ["Мій брат Іван каже, що чекав годину", "Мій брат Іван"],
    ["Група пані Олени", "пані Олени"],
    ["Переклад: пані Оксани Коваленко немає", "пані Оксани Коваленко"],
    ["Ми говорили з паном Петренком", "паном Петренком"],
    ["Лікар Шевченко не відповів", "Лікар Шевченко"],
    ["медсестра Марія була добра", "медсестра Марія"],
    ["моєї доньки Марії не записали", "моєї доньки Марії"],
    ["Син Андрій чекав", "Син Андрій"],
    ["мой муж Сергей ждал", "мой муж Сергей"],
    ["أخي محمد يقول إن الانتظار طويل", "أخي محمد"],
    ["السيدة فاطمة أحمد", "السيدة فاطمة"],
    ["تحدثنا مع الدكتور خالد", "الدكتور خالد"],
    ["اتصلت بالسيدة مريم", "بالسيدة مريم"],
    ["قلنا للسيد علي", "للسيد علي"],
    ["ابنتي سارة انتظرت ساعتين", "ابنتي سارة"],
    ["وزوجتي ليلى مريضة", "وزوجتي ليلى"],
    ["جاء أخي وليد", "أخي وليد"],
    ["موعد مع د. أحمد", "د. أحمد"],
  ])("finds it in %s", (text, expected) => {
    expect(found(text, "name-phrase")).toEqual([expected]);
  });

  it("reports it as words that may name someone, and highlights it", () => {
    const text = "Мій брат Іван каже…";
    expect(kindsOf(findIdentifyingDetails(text))).toEqual(["name-phrase"]);
    expect(describeKinds(kindsOf(findIdentifyingDetails(text)))).toBe("words that may name someone");
    expect(highlightSegments(text)).toEqual([{ text: "Мій брат Іван", kind: "name-phrase" }, { text: " каже…" }]);
    expect(highlightIdentifyingDetails("أخي محمد يقول")).toContain('<mark class="app-highlight" data-kind="name-phrase">أخي محمد');
  });

  it.each([
    "Запис на прийом через телефон важко",
    "Мій брат каже, що чекав дві години",
    "Моя мама не розуміє листів англійською",
    "Лікар не пояснив, що робити далі",
    "Пані з рецепції була дуже привітна",
    "Син мав запис на понеділок. Наступного разу прийдемо раніше",
    "Лікар NHS пояснив усе",
    "حجز المواعيد عبر الهاتف صعب",
    "أخي يقول إن الانتظار طويل",
    "أمي لا تفهم الرسائل بالإنجليزية",
    "ابني الصغير مريض",
    "زوجتي في المستشفى",
    "الدكتور قال إن كل شيء بخير",
    "الدكتور العام لم يشرح",
    "السيدات في غرفة الانتظار",
    "اتصلوا بالسيدة على الرقم",
    "أخي وأنا انتظرنا ساعتين",
  ])("does not flag %s", (text) => {
    expect(found(text, "name-phrase")).toEqual([]);
  });

  it("flags nothing in the public pages' Ukrainian and Arabic words, or the demo's Arabic translation", async () => {
    const fs = await import("node:fs");
    const strings = (v: unknown): string[] => (typeof v === "string" ? [v] : v && typeof v === "object" ? Object.values(v).flatMap(strings) : []);
    const texts = ["uk", "ar"].flatMap((lang) => strings(JSON.parse(fs.readFileSync(`locales/${lang}/common.json`, "utf8"))));
    const seed = fs.readFileSync("src/db/seed.ts", "utf8");
    texts.push(...[...seed.matchAll(/arabic: "([^"]+)"/g)].map((m) => m[1]!));
    expect(texts.length).toBeGreaterThan(50);
    for (const text of texts) expect(found(text.replace(/\{\{[^}]*\}\}/g, "Х"), "name-phrase"), text).toEqual([]);
  });
});
