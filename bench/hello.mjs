// The ceiling: a bare Express app answering "hello", on the same machine.
import express from "express";
const app = express();
app.get("/", (_req, res) => res.send("hello"));
const server = app.listen(Number(process.argv[2] ?? 3999), "127.0.0.1", () => process.send?.("ready"));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
