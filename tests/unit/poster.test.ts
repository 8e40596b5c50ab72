// The poster's text shortening: a table of cases, including the ones that must not change.
import { describe, expect, it } from "vitest";
import { shorten, urlParts } from "../../src/features/public/poster.js";

describe("shorten (poster texts)", () => {
  const rows: [string, string, number, { text: string; shortened: boolean }][] = [
    ["short text is kept", "Letters in our language.", 40, { text: "Letters in our language.", shortened: false }],
    ["exactly the limit is kept", "abcde", 5, { text: "abcde", shortened: false }],
    ["whitespace is collapsed, not counted", "  Two\n\nlines  ", 40, { text: "Two lines", shortened: false }],
    ["cut at the last space near the end", "We want to book at the desk every morning", 30, { text: "We want to book at the desk…", shortened: true }],
    ["a long word is cut inside it", "Supercalifragilisticexpialidocious", 10, { text: "Supercali…", shortened: true }],
    ["trailing punctuation goes before the ellipsis", "One, two, three, four", 10, { text: "One, two…", shortened: true }],
    ["Arabic comma too", "واحد، اثنان، ثلاثة، أربعة", 13, { text: "واحد، اثنان…", shortened: true }],
    ["never splits a surrogate pair", "😀😀😀😀😀😀", 4, { text: "😀😀😀…", shortened: true }],
  ];
  for (const [name, input, max, expected] of rows) {
    it(name, () => {
      const out = shorten(input, max);
      expect(out).toEqual(expected);
      expect(Array.from(out.text).length).toBeLessThanOrEqual(max);
    });
  }
});

describe("the board's address on the poster (tester's report: 'riversid/e' at 1280 px)", () => {
  it("breaks only after a slash or before the query: scheme and host stay whole", () => {
    expect(urlParts("https://ppg.example.org/p/riverside")).toEqual(["https://ppg.example.org/", "p/", "riverside"]);
    expect(urlParts("https://ppg.example.org/p/riverside?lang=ar")).toEqual(["https://ppg.example.org/", "p/", "riverside", "?lang=ar"]);
    expect(urlParts("http://localhost:3000/p/a-very-long-practice-slug")).toEqual(["http://localhost:3000/", "p/", "a-very-long-practice-slug"]);
    for (const url of ["https://ppg.example.org/p/riverside?lang=uk", "http://localhost:3000/p/x"]) expect(urlParts(url).join("")).toBe(url);
  });
});
