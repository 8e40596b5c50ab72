import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { promptHidden } from "../../src/cli/hidden-prompt.js";

function streams(tty: boolean) {
  const input = Object.assign(new PassThrough(), { isTTY: tty });
  const output = new PassThrough();
  let shown = "";
  output.on("data", (c) => (shown += String(c)));
  return { input, output, shown: () => shown };
}

describe("promptHidden (npm run user:create)", () => {
  for (const tty of [true, false]) {
    it(`reads the answer without showing it (${tty ? "a terminal" : "piped input"})`, async () => {
      const s = streams(tty);
      const answer = promptHidden("Password: ", s);
      // Typed one key at a time, as at a terminal.
      for (const ch of "lantern-river-boat") s.input.write(ch);
      s.input.write("\r\n");
      expect(await answer).toBe("lantern-river-boat");
      expect(s.shown()).toContain("Password: ");
      expect(s.shown()).not.toContain("lantern");
      expect(s.shown()).not.toContain("*");
    });
  }
});

describe("hiddenPrompter", () => {
  it("asks twice on one interface, so piped lines are not lost", async () => {
    const { hiddenPrompter } = await import("../../src/cli/hidden-prompt.js");
    const s = streams(false);
    const p = hiddenPrompter(s);
    s.input.write("first-secret\nsecond-secret\n");
    expect(await p.ask("One: ")).toBe("first-secret");
    expect(await p.ask("Two: ")).toBe("second-secret");
    p.close();
    expect(s.shown()).toBe("One: \nTwo: \n");
  });
});
