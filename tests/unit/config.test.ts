import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

describe("loadConfig", () => {
  it("has defaults that run on a fresh machine", () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir).toMatch(/data$/);
    expect(c.trustProxy).toBe(false);
  });
  it("names the variable when a value is bad", () => {
    expect(() => loadConfig({ PORT: "eighty" })).toThrow(new ConfigError("Invalid environment variable PORT: Expected number, received nan"));
    expect(() => loadConfig({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL/);
    expect(() => loadConfig({ SESSION_SECRET: "short" })).toThrow(/SESSION_SECRET/);
  });
  it("requires a session secret in production", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(/SESSION_SECRET/);
    const c = loadConfig({ NODE_ENV: "production", SESSION_SECRET: "x".repeat(32), TRUST_PROXY: "1", PUBLIC_URL: "https://ppg.example.nhs.uk/" });
    expect(c.trustProxy).toBe(1);
    expect(c.publicUrl).toBe("https://ppg.example.nhs.uk");
  });
});

describe("what the server believes about a request", () => {
  it("refuses TRUST_PROXY=true, which believes any client's X-Forwarded-For, with a clear message", () => {
    expect(() => loadConfig({ TRUST_PROXY: "true" })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: "true" })).toThrow(/TRUST_PROXY: `true` would believe any client's X-Forwarded-For; give the number of proxies/);
  });
  it("takes a hop count or a list of proxy addresses and CIDRs", () => {
    expect(loadConfig({ TRUST_PROXY: "1" }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: "false" }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: "loopback, 10.0.0.0/8" }).trustProxy).toBe("loopback,10.0.0.0/8");
    expect(() => loadConfig({ TRUST_PROXY: "$(rm)" })).toThrow(/TRUST_PROXY/);
  });
  it("requires PUBLIC_URL in production; elsewhere links default to http://localhost:PORT, never the request's host", () => {
    expect(() => loadConfig({ NODE_ENV: "production", SESSION_SECRET: "x".repeat(32) })).toThrow(/PUBLIC_URL: required when NODE_ENV=production/);
    expect(loadConfig({}).publicUrl).toBe("http://localhost:3000");
    expect(loadConfig({ PORT: "8080" }).publicUrl).toBe("http://localhost:8080");
    expect(loadConfig({ PUBLIC_URL: "http://192.168.1.20:3000/" }).publicUrl).toBe("http://192.168.1.20:3000");
    expect(() => loadConfig({ PUBLIC_URL: "ftp://x.example" })).toThrow(/PUBLIC_URL/);
  });
});
