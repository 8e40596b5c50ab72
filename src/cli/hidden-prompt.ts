// Asks for secrets at the terminal without showing them: readline with its
// output muted while the answer is typed (nothing is echoed, not even
// asterisks, as with `sudo` and `passwd`). Piped input is read the same way.
// One interface for every question, so piped lines are not lost between them.
import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";

export interface PromptStreams {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
}

export function hiddenPrompter(io: PromptStreams = { input: process.stdin, output: process.stderr }) {
  let muted = false;
  const sink = new Writable({
    write(chunk, encoding, done) {
      if (!muted) io.output.write(chunk, encoding);
      done();
    },
  });
  const rl = createInterface({ input: io.input, output: sink, terminal: Boolean(io.input.isTTY) });
  // Lines are queued: piped input can deliver several before the next question.
  const lines: string[] = [];
  const waiting: ((line: string | undefined) => void)[] = [];
  let closed = false;
  rl.on("line", (line) => (waiting.length ? waiting.shift()!(line) : lines.push(line)));
  rl.on("close", () => {
    closed = true;
    while (waiting.length) waiting.shift()!(undefined);
  });
  return {
    async ask(question: string): Promise<string> {
      io.output.write(question);
      muted = true;
      try {
        const line = lines.length ? lines.shift() : closed ? undefined : await new Promise<string | undefined>((resolve) => waiting.push(resolve));
        if (line === undefined) throw new Error("No answer: the input ended");
        return line;
      } finally {
        muted = false;
        io.output.write("\n");
      }
    },
    close: () => rl.close(),
  };
}

/** One hidden question. */
export async function promptHidden(question: string, io?: PromptStreams): Promise<string> {
  const p = hiddenPrompter(io);
  try {
    return await p.ask(question);
  } finally {
    p.close();
  }
}
