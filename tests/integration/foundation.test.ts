import { describe, expect, it } from "vitest";
import request from "supertest";
import { Router } from "express";
import { csrfTokenIn, signInAs } from "../helpers/app.js";
import { withPractice } from "../helpers/with-practice.js";

const { ctx, a: f } = withPractice({ practices: ["Test Practice"] });

describe("health", () => {
  it("/healthz answers JSON", async () => {
    const res = await request(ctx.app).get("/healthz");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok" });
  });
  it("/readyz says the database is up", async () => {
    const res = await request(ctx.app).get("/readyz");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok", database: "up" });
  });
});

describe("pages and errors", () => {
  it("serves the landing page in the NHS.UK layout without creating a session", async () => {
    const res = await request(ctx.app).get("/");
    expect(res.status).toBe(200);
    expect(res.text).toContain('class="nhsuk-skip-link" href="#maincontent"');
    expect(res.text).toContain('<main class="nhsuk-main-wrapper" id="maincontent"');
    expect(res.text).toContain("nhsuk-footer");
    expect(res.headers["set-cookie"]).toBeUndefined();
  });

  it("answers an unknown page with the NHS-style 404", async () => {
    const res = await request(ctx.app).get("/no-such-page");
    expect(res.status).toBe(404);
    expect(res.text).toContain("Page not found");
  });

  it("shows the 500 page without a stack trace", async () => {
    // A route that fails, mounted on a copy of the app's router stack.
    const { createApp } = await import("../../src/app.js");
    expect(createApp).toBeTypeOf("function");
    const boom = Router();
    boom.get("/boom", () => {
      throw new Error("secret internal detail at /work/src/x.ts:12");
    });
    ctx.app.router.stack.splice(1, 0, ...(boom as unknown as { stack: never[] }).stack);
    const res = await request(ctx.app).get("/boom");
    expect(res.status).toBe(500);
    expect(res.text).toContain("Sorry, there is a problem with the service");
    expect(res.text).not.toContain("secret internal detail");
    expect(res.text).not.toMatch(/at .*\.ts:\d+/);
  });

  it("sets the security headers", async () => {
    const res = await request(ctx.app).get("/");
    const csp = res.headers["content-security-policy"] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["referrer-policy"]).toBe("no-referrer");
    expect(res.headers["x-powered-by"]).toBeUndefined();
  });

  it("serves the design system's assets with long-lived caching", async () => {
    const page = await request(ctx.app).get("/");
    const href = page.text.match(/href="(\/assets\/nhsuk\/nhsuk-frontend-[\d.]+\.min\.css)"/)![1]!;
    const res = await request(ctx.app).get(href);
    expect(res.status).toBe(200);
    expect(res.headers["cache-control"]).toContain("max-age=31536000");
  });

  it("refuses an oversized body with 413 and no stack", async () => {
    const res = await request(ctx.app).post("/login").type("form").send({ email: "x".repeat(300_000) });
    expect(res.status).toBe(413);
    expect(res.text).not.toMatch(/at .*\.js:\d+/);
  });

  it("answers a malformed URL with 400, not 500", async () => {
    const res = await request(ctx.app).get("/%E0%A4%A");
    expect([400, 404]).toContain(res.status);
  });
});

describe("signing in and out", () => {
  it("signs a manager in, shows the dashboard, and signs out", async () => {
    const { agent, csrf } = await signInAs(ctx.app, f.manager.email, f.manager.password);
    const dash = await agent.get("/dashboard");
    expect(dash.status).toBe(200);
    expect(dash.text).toContain(f.practice.name);
    expect(dash.headers["cache-control"]).toBe("no-store");
    const out = await agent.post("/logout").type("form").send({ _csrf: csrf });
    expect(out.status).toBe(303);
    const after = await agent.get("/dashboard");
    expect(after.status).toBe(303);
    expect(after.headers.location).toBe("/login?next=%2Fdashboard");
  });

  it("gives one message for a wrong password and for an unknown account", async () => {
    const agent = request.agent(ctx.app);
    const token = csrfTokenIn((await agent.get("/login")).text);
    const wrong = await agent.post("/login").type("form").send({ _csrf: token, email: f.manager.email, password: "nope-nope-nope" });
    const unknown = await agent.post("/login").type("form").send({ _csrf: token, email: "nobody@example.test", password: "nope-nope-nope" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const message = (html: string) => html.match(/<li><a href="#email">([^<]+)<\/a><\/li>/)?.[1];
    expect(message(wrong.text)).toBe("Enter a correct email address and password");
    expect(message(unknown.text)).toBe(message(wrong.text));
    expect(wrong.text).toContain(`value="${f.manager.email}"`); // input kept
    const failures = await ctx.prisma.auditEvent.count({ where: { action: "auth.sign-in-failed" } });
    expect(failures).toBeGreaterThanOrEqual(2);
  });

  it("refuses a sign-in without a valid CSRF token", async () => {
    const agent = request.agent(ctx.app);
    await agent.get("/login");
    const res = await agent.post("/login").type("form").send({ _csrf: "forged", email: f.manager.email, password: f.manager.password });
    expect(res.status).toBe(403);
  });

  it("issues a new session id at sign-in", async () => {
    const agent = request.agent(ctx.app);
    const login = await agent.get("/login");
    // The sign-in form itself makes no session (nothing is written for a visitor who never posts).
    const before = String(login.headers["set-cookie"] ?? "").match(/ppg\.sid=([^;]+)/)?.[1];
    expect(before).toBeUndefined();
    const res = await agent.post("/login").type("form").send({ _csrf: csrfTokenIn(login.text), email: f.viewer.email, password: f.viewer.password });
    const after = String(res.headers["set-cookie"]).match(/ppg\.sid=([^;]+)/)![1];
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect(String(res.headers["set-cookie"])).toMatch(/HttpOnly/i);
    expect(String(res.headers["set-cookie"])).toMatch(/SameSite=Lax/i);
  });

  it("never redirects to another site after sign-in", async () => {
    const agent = request.agent(ctx.app);
    const login = await agent.get("/login?next=//evil.example/x");
    const res = await agent.post("/login").type("form").send({ _csrf: csrfTokenIn(login.text), email: f.viewer.email, password: f.viewer.password, next: "//evil.example/x" });
    expect(res.headers.location).toBe("/dashboard");
  });
});
