// The ceiling and the limit, on the same machine: a bare Express app answering
// "hello" at /, and express.static serving the folder given as the second
// argument at /static (the bench writes the board page's bytes there: the
// physical limit for serving that page with this stack).
import express from "express";
const app = express();
app.get("/", (_req, res) => res.send("hello"));
if (process.argv[3]) app.use("/static", express.static(process.argv[3]));
const server = app.listen(Number(process.argv[2] ?? 3999), "127.0.0.1", () => process.send?.("ready"));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
