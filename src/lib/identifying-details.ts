// The identifying-details check: finds what may identify a person in free text
// that could reach a public page, a group board, a poster or a feed (idea
// text, themes discussed, public responses, theme and group names). Pure: no
// I/O, no dependencies, so it is easy to test and to reuse in any view or service.
//
// It errs on the side of asking: a match is a question for the writer
// ("is this about an identifiable person?"), never a silent rejection.
//
// Hard to get round: the text is first normalised (normaliseForCheck: Unicode
// NFKC, zero-width and bidirectional controls removed, other scripts' digits
// folded to 0-9, a letter O between digits read as a zero), the finders run on
// that, and each match is mapped back to the writer's own text for highlighting.

export type IdentifyingKind = "email" | "phone" | "nhs-number" | "postcode" | "name-phrase" | "address" | "date-of-birth";

export interface IdentifyingMatch {
  kind: IdentifyingKind;
  /** Offsets into the text (UTF-16 code units), end exclusive. */
  start: number;
  end: number;
  text: string;
}

export const KIND_LABELS: Record<IdentifyingKind, string> = {
  email: "an email address",
  phone: "a phone number",
  "nhs-number": "an NHS number",
  postcode: "a postcode",
  "name-phrase": "words that may name someone",
  address: "a street address",
  "date-of-birth": "a date of birth",
};

/** Earlier kinds win when two matches overlap (an email can hold digits; an NHS number can look like a phone number). */
const PRIORITY: IdentifyingKind[] = ["email", "nhs-number", "phone", "date-of-birth", "postcode", "address", "name-phrase"];

// ---------------------------------------------------------------------------
// Normalisation

/** Zero-width characters, the soft hyphen and the BOM: invisible, so they can split a number or an address unseen. */
const ZERO_WIDTH = /[\u00AD\u180E\u200B-\u200D\u2060\uFEFF]/;
/** Bidirectional controls: they can make "321009 00770" display as a phone number. */
export const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** The zero of each decimal digit block NFKC leaves alone (Arabic-Indic, Extended Arabic-Indic (Persian, Urdu), Devanagari, Bengali, ...). */
const DIGIT_ZEROS = [0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0];

function foldDigit(cp: number): string | undefined {
  for (const zero of DIGIT_ZEROS) if (cp >= zero && cp <= zero + 9) return String(cp - zero);
  return undefined;
}

/** Removes bidirectional control characters: applied to every stored text (lib/text.ts). */
export function stripBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, "");
}

export interface Normalised {
  text: string;
  /** For each UTF-16 unit of `text`, the [start, end) of the original text it came from. */
  from: [number, number][];
}

/**
 * The text as the finders read it: NFKC (full-width letters, digits and @
 * become plain ones), zero-width and bidi controls removed, digits of other
 * scripts folded to 0-9, and a letter O (or o) between digits read as 0.
 * Each character remembers where it came from, so a match can be shown in the
 * writer's own text.
 */
export function normaliseForCheck(original: string): Normalised {
  let text = "";
  const from: [number, number][] = [];
  let i = 0;
  for (const ch of original) {
    const start = i;
    i += ch.length;
    if (ZERO_WIDTH.test(ch) || /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/.test(ch)) continue;
    const cp = ch.codePointAt(0)!;
    const piece = foldDigit(cp) ?? ch.normalize("NFKC");
    for (let k = 0; k < piece.length; k++) {
      text += piece[k];
      from.push([start, i]);
    }
  }
  // The letter O among digits ("O77OO 9OO123"): in a run of digits and O/o holding at least one digit, each O is a zero.
  text = text.replace(/(?<![\p{L}\p{N}])[0-9Oo]*\d[0-9Oo]*(?![\p{L}\p{N}])/gu, (run) => run.replace(/[Oo]/g, "0"));
  return { text, from };
}

// ---------------------------------------------------------------------------
// Finders (on normalised text)

const AT = String.raw`(?:\s*@\s*|\s*[\[({]\s*at\s*[\])}]\s*|\s+at\s+)`;
const DOT = String.raw`(?:\.|\s*[\[({]\s*dot\s*[\])}]\s*|\s+dot\s+)`;
const EMAIL = new RegExp(String.raw`[A-Za-z0-9._%+-]+${AT}[A-Za-z0-9-]+(?:${DOT}[A-Za-z0-9-]+)*${DOT}[A-Za-z]{2,}\b`, "gi");

function findEmails(text: string): IdentifyingMatch[] {
  const out: IdentifyingMatch[] = [];
  for (const m of text.matchAll(EMAIL)) {
    // "meet at the library dot" is not an address: the plain-word form needs "dot" or a real dot with no spaces around, and a TLD-like end.
    const spelled = !/@|[\[({]\s*at/i.test(m[0]);
    if (spelled && !/\s+dot\s+|[\[({]\s*dot|\.[A-Za-z]{2,}$/i.test(m[0])) continue;
    out.push({ kind: "email", start: m.index, end: m.index + m[0].length, text: m[0] });
  }
  return out;
}

/** The NHS number's check digit (modulus 11): weights 10..2 on the first nine digits. */
export function isValidNhsNumber(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  if (check === 10) return false;
  return check === Number(digits[9]);
}

// Ten digits in any grouping, with any separators (spaces, dashes, dots, slashes) between them.
const NHS_CANDIDATE = /(?<![\w+])\d(?:[ \-./]{0,3}\d){9}(?![\w]|[ \-./]{0,3}\d)/g;

function findNhsNumbers(text: string): IdentifyingMatch[] {
  const out: IdentifyingMatch[] = [];
  for (const m of text.matchAll(NHS_CANDIDATE)) {
    if (isValidNhsNumber(m[0].replace(/\D/g, ""))) out.push({ kind: "nhs-number", start: m.index, end: m.index + m[0].length, text: m[0] });
  }
  return out;
}

/** Where a phone number may start: "+44", "0044", "44", "(0" or "0", not inside a word or a longer number. */
const PHONE_START = /(?<![\w+])(?:\+\s?\(?44\)?|00[\s\-.]?44|\(?44\)?(?=[\s\-.(]*[1-9(])|\(0|0)/g;
const SEPARATORS = new Set([" ", "-", "(", ")", ".", "/"]);

/** A UK number in national form (leading 0): mobiles 07, geographic 01/02, non-geographic 03. */
function isUkNationalNumber(national: string): boolean {
  if (/^0[237]\d{9}$/.test(national)) return true;
  // A few 01 areas have 9 digits after the 0 (e.g. 016977 xxxx).
  return /^01\d{8,9}$/.test(national);
}

function findPhones(text: string): IdentifyingMatch[] {
  const out: IdentifyingMatch[] = [];
  for (const m of text.matchAll(PHONE_START)) {
    const start = m.index;
    const international = /44\)?$/.test(m[0]);
    // Scan digits, allowing a short run of separators (at most 3 characters) between them,
    // and remember where each digit ended: the number may be followed by other figures ("07700 900123 2 people").
    let i = international ? start + m[0].length : start;
    let digits = "";
    const ends: number[] = [];
    while (i < text.length && digits.length < 13) {
      const c = text[i]!;
      if (c >= "0" && c <= "9") {
        digits += c;
        i++;
        ends.push(i);
        continue;
      }
      if (SEPARATORS.has(c)) {
        let j = i;
        while (j < text.length && j - i < 3 && SEPARATORS.has(text[j]!)) j++;
        if (j < text.length && text[j]! >= "0" && text[j]! <= "9") {
          i = j;
          continue;
        }
      }
      break;
    }
    // The longest prefix that is a UK number and is not glued to a further digit.
    for (let n = digits.length; n >= 9; n--) {
      const end = ends[n - 1]!;
      if (end < text.length && /\d/.test(text[end]!)) continue;
      const part = digits.slice(0, n);
      // "+44 (0)20 ..." keeps a bracketed 0 that is not dialled.
      const national = international ? "0" + (part.startsWith("0") ? part.slice(1) : part) : part;
      if (isUkNationalNumber(national)) {
        out.push({ kind: "phone", start, end, text: text.slice(start, end) });
        break;
      }
    }
  }
  return out;
}

// UK postcodes: outward code (area letters, district) and inward code (sector digit, unit letters).
// Area letters: first not Q, V, X; second not I, J, Z. Unit letters never C, I, K, M, O, V.
const POSTCODE = /(?<![\p{L}\p{N}])([A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?)( ?)(\d[ABD-HJLNP-UW-Z]{2})(?![\p{L}\p{N}])/giu;

function findPostcodes(text: string): IdentifyingMatch[] {
  const out: IdentifyingMatch[] = [];
  for (const m of text.matchAll(POSTCODE)) {
    out.push({ kind: "postcode", start: m.index, end: m.index + m[0].length, text: m[0] });
  }
  return out;
}

const RELATIONS =
  "son|daughter|husband|wife|partner|boyfriend|girlfriend|mother|mum|mom|father|dad|brother|sister|child|baby|boy|girl|grandson|granddaughter|grandmother|grandfather|nan|nana|grandma|grandad|granddad|neighbour|neighbor|friend|carer|aunt|auntie|uncle|cousin|niece|nephew|stepson|stepdaughter|stepmum|stepdad|fiance|fiancee";
/** Words that follow "my son", "Mrs", ... without being a name. Lower-case names ("my son ahmed") are caught when the next word is not one of these. */
const NOT_A_NAME = new Set(
  ("a an the and or but nor so yet if then than that this these those who whom whose which what when where why how " +
    "is are was were be been being am has have had having do does did doing done can could will would shall should may might must " +
    "isn't wasn't doesn't didn't hasn't hadn't can't couldn't won't wouldn't don't aren't weren't " +
    "i me my mine you your he him his she her hers it its we us our they them their there here " +
    "to of in on at by for from with without about into onto over under after before during since until through also too very just only even still " +
    "not no yes all some any each every both either neither more most less many much few several one two three four five six seven eight nine ten " +
    "got gets get getting went goes go going came comes come coming said says say told tells tell asked asks ask needs needed need " +
    "waited waits wait missed misses miss tried tries try had took takes take gave gives give found finds find felt feels feel thought thinks think " +
    "knew knows know saw sees see made makes make called calls call rang rings ring uses used use lives lived live works worked work " +
    "loves loved likes liked wants wanted helps helped cares cared stays stayed stopped started starts left leaves became becomes " +
    "who's that's he's she's it's they're we're i'm " +
    "back again now today yesterday tomorrow later soon often always never sometimes usually " +
    "appointment appointments surgery practice receptionist reception doctor doctors nurse nurses gp hospital clinic pharmacy chemist " +
    "baby babies child children kids kid son sons daughter daughters family friend friends neighbour neighbours carer carers mum dad " +
    "ill sick unwell poorly well better worse fine okay ok old young little big small new first last other same own " +
    "too, when, because").split(/[\s,]+/),
);
const TITLES_STRONG = "mr|mrs|ms|miss|mx|dr|prof";
const TITLES_WEAK = "doctor|professor|sir|dame|lady|lord|rev|revd|reverend|sister|nurse|auntie|uncle|imam|pastor|father";
// Phrases that introduce a name whatever follows.
const NAME_INTRO = /\b(?:my name is|my name's|my names|i am called|i'm called|im called|her name is|his name is|their name is|named|called)\s+[\p{L}'-]{2,}/giu;
// "call me Sam", "they call me Sam": only with a capital (not "call me back").
const CALL_ME = /\b(?:call me|they call me|everyone calls me)\s+(\p{Lu}[\p{L}'-]*)/gu;
// A kinship word and a name, in any case ("my son Ahmed", "my son ahmed", "MY SON AHMED").
const KIN_NAME = new RegExp(`\\b(?:my|our|her|his|their)\\s+(?:${RELATIONS}),?\\s+([\\p{L}'-]{2,})`, "giu");
// A title and a name ("Mrs Ahmed", "dr smith", "Dr. Smith"); weaker titles ("Nurse", "Sister") only with a capital.
const TITLE_NAME = new RegExp(`\\b(${TITLES_STRONG})\\.?\\s+([\\p{L}'-]{2,})|\\b(${TITLES_WEAK})\\.?\\s+(\\p{Lu}[\\p{L}'-]+)`, "giu");

const isName = (w: string) => !NOT_A_NAME.has(w.toLowerCase()) && !/^\d/.test(w);

// ---- Ukrainian (and Russian-looking Cyrillic) and Arabic names.
// JavaScript's \b knows only ASCII letters, so these use lookarounds on \p{L}.
// The words are matched with the first letter in either case ("Пані Олена" at
// the start of a sentence), never with the i flag: with /iu, \p{Lu} would also
// match lower-case letters, and the capital is what tells a name here.

/** "пан" -> "[Пп]ан": the word with its first letter in either case. */
const eitherCase = (alternatives: string) =>
  alternatives.split("|").map((w) => `[${w[0]!.toLowerCase()}${w[0]!.toUpperCase()}]${w.slice(1)}`).join("|");
const NOT_IN_WORD_BEFORE = String.raw`(?<![\p{L}\p{M}\p{N}])`;
const NOT_IN_WORD_AFTER = String.raw`(?![\p{L}\p{M}\p{N}])`;
/** A capitalised word ("Олена", "Оксани", "Ahmed"); all-capitals ("NHS", "ІВАН") is not taken for a name. */
const CAPITALISED = String.raw`\p{Lu}\p{Ll}[\p{L}'’-]*`;

// Titles in their case forms (пані is indeclinable): пан, пана, пану, паном, пане; панна, панни, ...
const UK_TITLES = eitherCase(
  "пан|пана|пану|паном|пане|пані|панна|панни|панні|панну|панною|панно|" +
    "лікар|лікаря|лікарю|лікарем|лікарка|лікарки|лікарці|лікарку|лікаркою|" +
    "доктор|доктора|доктору|доктором|докторе|докторка|докторки|докторці|докторку|" +
    "медсестра|медсестри|медсестрі|медсестру|медсестрою|медсестро|медбрат|медбрата|медбратом|" +
    "професор|професора|професору|професором|" +
    // Russian
    "господин|господина|господину|госпожа|госпожи|госпоже|госпожу|врач|врача|врачу|врачом",
);
// Kinship words in their case forms, Ukrainian then Russian.
const UK_RELATIONS = eitherCase(
  "брат|брата|брату|братові|братом|брате|сестра|сестри|сестрі|сестру|сестрою|сестро|" +
    "мати|матері|матір|мама|мами|мамі|маму|мамою|мамо|батько|батька|батькові|батьку|батьком|тато|тата|татові|татом|татусь|татуся|" +
    "син|сина|синові|сину|сином|синок|синочок|донька|доньки|доньці|доньку|донькою|дочка|дочки|дочці|дочку|дочкою|" +
    "чоловік|чоловіка|чоловікові|чоловіком|дружина|дружини|дружині|дружину|дружиною|" +
    "бабуся|бабусі|бабусю|бабусею|баба|бабця|дідусь|дідуся|дідусеві|дідусю|дідусем|дід|діда|" +
    "онук|онука|онукові|онуком|онучка|онучки|онуку|тітка|тітки|тітці|тітку|дядько|дядька|дядькові|дядьком|" +
    "сусід|сусіда|сусідові|сусідом|сусідка|сусідки|сусідці|сусідку|друг|друга|другові|подруга|подруги|подрузі|подругу|" +
    "отец|отца|мать|матери|сын|сына|дочь|дочери|муж|мужа|жена|жены|бабушка|бабушки|дедушка|дедушки|сосед|соседа|соседка",
);
const UK_POSSESSIVES = eitherCase(
  "мій|моя|моє|мої|мого|моєї|моєму|моїй|моїм|моєю|моїх|наш|наша|нашого|нашої|нашому|нашій|нашим|його|її|їхній|їхня|їхнього|їхньої|" +
    "мой|моего|моей|моему|наши",
);
// "пані Олена", "пані Оксани Коваленко", "лікар Петренко": a title, a capitalised name and an optional capitalised surname.
const UK_TITLE_NAME = new RegExp(
  String.raw`${NOT_IN_WORD_BEFORE}(?:${UK_TITLES})${NOT_IN_WORD_AFTER}\.?\s+${CAPITALISED}(?:\s+${CAPITALISED})?`,
  "gu",
);
// "Мій брат Іван", "брата Івана", "моєї доньки Марії": a kinship word (after an optional possessive) and a capitalised name.
// Only a capital marks the name: "мій брат каже" is not flagged, and a lower-case "мій брат іван" is missed (a stop-list of
// Ukrainian words, as for English, would be needed to ask about it; the capital is how names are written).
const UK_KIN_NAME = new RegExp(
  String.raw`${NOT_IN_WORD_BEFORE}(?:(?:${UK_POSSESSIVES})\s+)?(?:${UK_RELATIONS})${NOT_IN_WORD_AFTER},?\s+${CAPITALISED}`,
  "gu",
);

// Arabic has no capitals, so the word after a title or kinship word is taken for a name unless it is one of a
// short list of common verbs, particles and pronouns that follow them ("أخي يقول", "الدكتور في العيادة"), or a
// word with the article ال ("الدكتور العام", "ابني الصغير"): first names almost never carry it. Asking about
// "أخي سعيد" (my brother is happy; Saeed is also a name) is the price of catching "أخي محمد"; the check asks, it never refuses.
const ARABIC_LETTERS = String.raw`[\u0621-\u063A\u0641-\u064A\u0671-\u06D3\u06FA-\u06FC]`;
const ARABIC_WORD = String.raw`${ARABIC_LETTERS}[\u0621-\u063A\u0640-\u065F\u0670-\u06D3\u06FA-\u06FC]*`;
// Titles with the article, after an optional "و"/"ف" and "ب"/"ك"/"ل" ("وبالسيدة", "للسيد"); the abbreviation "د." and "مدام".
const AR_TITLE_STEMS = "سيد[ةه]?|دكتور[ةه]?|[آا]نس[ةه]|[أا]ستاذ[ةه]?|شيخ[ةه]?|حاج[ةه]?";
const AR_TITLE = String.raw`(?:(?:[وف]?[بك]?ال|[وف]?لل)(?:${AR_TITLE_STEMS})|[وف]?[بكل]?مدام)${NOT_IN_WORD_AFTER}\s+|[وف]?[بكل]?د\.\s*`;
// Kinship words with a possessive suffix (my, his, her), after an optional "و"/"ف" and "ب"/"ل".
const AR_RELATIONS =
  "[أا]خ[يو]?ي|[أا]خت[يه]|[أا]ختها|[أا]مي|[أا]مه|[أا]مها|[أا]بي|[أا]بوه|[أا]بوها|[أا]خوه|[أا]خوها|والدي|والدتي|" +
  "زوجي|زوجتي|زوجها|زوجته|ابني|ابنه|ابنها|ابنتي|ابنته|ابنتها|بنتي|بنته|بنتها|" +
  "جدي|جدتي|جده|جدته|جدها|جدتها|خالي|خالتي|عمي|عمتي|حفيدي|حفيدتي|جاري|جارتي|صديقي|صديقتي";
const AR_TITLE_NAME = new RegExp(String.raw`${NOT_IN_WORD_BEFORE}(?:${AR_TITLE})(${ARABIC_WORD}|${CAPITALISED})${NOT_IN_WORD_AFTER}`, "gu");
const AR_KIN_NAME = new RegExp(String.raw`${NOT_IN_WORD_BEFORE}[وف]?[بل]?(?:${AR_RELATIONS})${NOT_IN_WORD_AFTER}،?\s+(${ARABIC_WORD}|${CAPITALISED})${NOT_IN_WORD_AFTER}`, "gu");
/** Words that follow an Arabic title or kinship word without being a name (written without diacritics or tatweel). */
const AR_NOT_A_NAME = new Set(
  ("يقول قال قالت تقول يقولون كان كانت يكون تكون كانوا لا لم لن ما ليس ليست في من على الى إلى عن مع او أو ثم هو هي هم " +
    "انا أنا نحن انت أنت لكن لان لأن منذ عندما كما قد لقد إن ان أن إنه انه انها إنها اللذي الذي التي هذا هذه ذلك تلك هنا هناك " +
    "ايضا أيضا جدا دائما احيانا أحيانا الآن اليوم امس أمس غدا يوم كل بعد قبل عند عنده عندها لديه لديها حتى بس كمان " +
    "ذهب ذهبت يذهب تذهب راح راحت جاء جاءت يأتي تأتي اتى أتى يريد تريد اراد أراد ارادت أرادت يحتاج تحتاج احتاج احتاجت " +
    "اتصل اتصلت يتصل تتصل انتظر انتظرت ينتظر تنتظر حاول حاولت يحاول تحاول وجد وجدت يجد تجد طلب طلبت يطلب تطلب " +
    "يعمل تعمل يعيش تعيش يعاني تعاني عانى عانت مرض مرضت مريض مريضة يشعر تشعر شعر شعرت رأى رأت يرى ترى " +
    "سأل سألت يسأل تسأل أخبر اخبر أخبرني اخبرني أخبرت اخبرت قالوا يعرف تعرف عرف عرفت يستطيع تستطيع لديهم " +
    "وانا وأنا ونحن وهو وهي انه هل كيف لماذا متى اين أين الذي").split(/\s+/),
);
const arabicBare = (w: string) => w.replace(/[\u0640\u064B-\u065F\u0670]/g, "");
function isArabicName(word: string): boolean {
  const bare = arabicBare(word);
  if (/^\p{Lu}/u.test(bare)) return !NOT_A_NAME.has(bare.toLowerCase());
  if (bare.startsWith("ال") || bare.length < 2) return false;
  if (AR_NOT_A_NAME.has(bare)) return false;
  // "وقال", "فذهبت": a stop word after "و"/"ف" ("وليد" is a name: "ليد" is not a stop word).
  return !(/^[وف]/.test(bare) && AR_NOT_A_NAME.has(bare.slice(1)));
}

function findNamePhrases(text: string): IdentifyingMatch[] {
  const out: IdentifyingMatch[] = [];
  const add = (m: RegExpMatchArray) => out.push({ kind: "name-phrase", start: m.index!, end: m.index! + m[0].length, text: m[0] });
  for (const m of text.matchAll(NAME_INTRO)) {
    const word = m[0].split(/\s+/).at(-1)!;
    // "named"/"called" alone need a capital ("a boy called Sam", not "the number called back").
    if (/^(?:named|called)\s/i.test(m[0]) && !/^\p{Lu}/u.test(word)) continue;
    if (isName(word)) add(m);
  }
  for (const m of text.matchAll(CALL_ME)) if (m[1] !== "I") add(m);
  for (const re of [UK_TITLE_NAME, UK_KIN_NAME]) for (const m of text.matchAll(re)) add(m);
  for (const re of [AR_TITLE_NAME, AR_KIN_NAME]) for (const m of text.matchAll(re)) if (isArabicName(m[1]!)) add(m);
  for (const m of text.matchAll(KIN_NAME)) if (isName(m[1]!)) add(m);
  for (const m of text.matchAll(TITLE_NAME)) {
    if (m[1]) {
      if (isName(m[2]!)) add(m);
    } else if (/^\p{Lu}/u.test(m[4]!) && m[4] !== "I" && isName(m[4]!)) {
      // The weak title itself must be a title here, not the start of a sentence ("Sister ward" is lower-case anyway).
      add(m);
    }
  }
  return out;
}

const STREET_TYPES =
  "road|rd|street|st|avenue|ave|lane|ln|close|drive|dr|way|court|ct|crescent|cres|place|pl|gardens|gdns|grove|terrace|square|sq|hill|row|walk|mews|park|parade|rise|view|green|estate|towers|house|boulevard|embankment";
const ADDRESS = new RegExp(`(?<![\\w.,])(\\d{1,4}[a-z]?)\\s*,?\\s+((?:[\\p{L}'-]+\\s+){1,3}?)(?:${STREET_TYPES})\\b\\.?`, "giu");
const FLAT = /\b(?:flat|apartment|apt|maisonette|room)\s*(?:no\.?\s*)?\d{1,4}[a-z]?\b/giu;

function findAddresses(text: string): IdentifyingMatch[] {
  const out: IdentifyingMatch[] = [];
  for (const m of text.matchAll(ADDRESS)) {
    const words = m[2]!.trim().split(/\s+/);
    if (words.some((w) => NOT_A_NAME.has(w.toLowerCase()) || /^(?:people|person|hours?|minutes?|days?|weeks?|months?|years?|times?|of|us)$/i.test(w))) continue;
    out.push({ kind: "address", start: m.index, end: m.index + m[0].length, text: m[0] });
  }
  for (const m of text.matchAll(FLAT)) {
    // "room 4" only with a street-like context is too rare to matter: a flat or apartment number always counts; a room number only after "flat"-like words.
    if (/^room/i.test(m[0])) continue;
    out.push({ kind: "address", start: m.index, end: m.index + m[0].length, text: m[0] });
  }
  return out;
}

const MONTHS = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";
const DATE = `(?:\\d{1,2}[/.\\- ]\\d{1,2}[/.\\- ]\\d{2,4}|\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?(?:${MONTHS})\\.?(?:,?\\s+\\d{2,4})?|(?:${MONTHS})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s+\\d{2,4})?|\\d{4}-\\d{2}-\\d{2})`;
// "DOB 12/03/1985", "date of birth: 3 March 1990", "born on 1st May 2001", "born 1985".
const DOB = new RegExp(`\\b(?:d\\.?o\\.?b\\.?|date\\s+of\\s+birth|birth\\s*date|birthday\\s+is|born(?:\\s+on|\\s+in)?)\\s*[:\\-]?\\s*(?:${DATE}|(?:19|20)\\d{2})`, "giu");
// A full date with a year long enough ago to be a birth date ("12/03/1985", "3 March 1990"): sessions and targets are recent.
const OLD_DATE = new RegExp(`(?<![\\w/.-])(?:\\d{1,2}[/.-]\\d{1,2}[/.-](?:19\\d{2}|200\\d|201[0-5])|\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?(?:${MONTHS})\\.?,?\\s+(?:19\\d{2}|200\\d|201[0-5]))(?![\\w/.-])`, "giu");

function findDatesOfBirth(text: string): IdentifyingMatch[] {
  const out: IdentifyingMatch[] = [];
  for (const re of [DOB, OLD_DATE]) {
    for (const m of text.matchAll(re)) out.push({ kind: "date-of-birth", start: m.index, end: m.index + m[0].length, text: m[0] });
  }
  return out;
}

/** Every match, in text order, without overlaps (the higher-priority kind wins). */
export function findIdentifyingDetails(original: string): IdentifyingMatch[] {
  if (!original) return [];
  const { text, from } = normaliseForCheck(original);
  const all = [
    ...findEmails(text), ...findNhsNumbers(text), ...findPhones(text), ...findDatesOfBirth(text), ...findPostcodes(text), ...findAddresses(text), ...findNamePhrases(text),
  ];
  all.sort((a, b) => PRIORITY.indexOf(a.kind) - PRIORITY.indexOf(b.kind) || a.start - b.start || b.end - a.end);
  const kept: IdentifyingMatch[] = [];
  for (const m of all) {
    if (!kept.some((k) => m.start < k.end && k.start < m.end)) kept.push(m);
  }
  // Back to the writer's own text.
  return kept
    .map((m) => {
      const start = from[m.start]![0];
      const end = from[m.end - 1]![1];
      return { kind: m.kind, start, end, text: original.slice(start, end) };
    })
    .sort((a, b) => a.start - b.start);
}

/** The distinct kinds found, in a stable order (for messages and the audit log: never the matched text). */
export function kindsOf(matches: IdentifyingMatch[]): IdentifyingKind[] {
  return PRIORITY.filter((k) => matches.some((m) => m.kind === k));
}

/** "a phone number and a postcode" */
export function describeKinds(kinds: IdentifyingKind[]): string {
  const labels = kinds.map((k) => KIND_LABELS[k]);
  if (labels.length <= 1) return labels[0] ?? "";
  return `${labels.slice(0, -1).join(", ")} and ${labels[labels.length - 1]}`;
}

export interface Segment {
  text: string;
  kind?: IdentifyingKind;
}

/** The text cut into plain and matched pieces, for a view to render with `<%= %>` (escaped) and `<mark>`. */
export function highlightSegments(text: string, matches: IdentifyingMatch[] = findIdentifyingDetails(text)): Segment[] {
  const segments: Segment[] = [];
  let at = 0;
  for (const m of matches) {
    if (m.start > at) segments.push({ text: text.slice(at, m.start) });
    segments.push({ text: text.slice(m.start, m.end), kind: m.kind });
    at = m.end;
  }
  if (at < text.length) segments.push({ text: text.slice(at) });
  return segments;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** The text as safe HTML: everything escaped, each match wrapped in `<mark class="app-highlight">` naming its kind. */
export function highlightIdentifyingDetails(text: string, matches: IdentifyingMatch[] = findIdentifyingDetails(text)): string {
  return highlightSegments(text, matches)
    .map((s) =>
      s.kind
        ? `<mark class="app-highlight" data-kind="${s.kind}">${escape(s.text)}<span class="nhsuk-u-visually-hidden"> (${escape(KIND_LABELS[s.kind])})</span></mark>`
        : escape(s.text),
    )
    .join("");
}

/**
 * The text with every identifying detail replaced by "[a phone number removed]"
 * etc.: for the audit log's record of a previous value, so a correction that
 * took details out does not keep them there.
 */
export function redactIdentifyingDetails(text: string): string {
  return highlightSegments(text)
    .map((s) => (s.kind ? `[${KIND_LABELS[s.kind]} removed]` : s.text))
    .join("");
}
