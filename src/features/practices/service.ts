// Creating a practice: its row, its default theme list, its first manager.
import crypto from "node:crypto";
import type { PrismaClient } from "../../generated/prisma/client.js";
import { hashPassword } from "../../lib/passwords.js";
import { recordAudit } from "../audit/service.js";

export const DEFAULT_THEMES = [
  "Access and appointments",
  "Communication and information",
  "Reception and environment",
  "Interpreting and language",
  "Digital services",
  "Prescriptions and medicines",
  "Staff attitudes and respect",
  "Other",
] as const;

export function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
}

/** Unguessable token for a group's private link (/g/:token): 128 bits, URL-safe. */
export function newLinkToken(): string {
  return crypto.randomBytes(16).toString("base64url");
}

export interface NewPractice {
  name: string;
  odsCode: string;
  slug?: string;
  address?: string;
  responseDeadlineDays?: number;
}

export async function createPractice(prisma: PrismaClient, input: NewPractice) {
  return prisma.$transaction(async (tx) => {
    const practice = await tx.practice.create({
      data: {
        name: input.name,
        odsCode: input.odsCode.toUpperCase(),
        slug: input.slug ?? slugify(input.name),
        address: input.address ?? "",
        responseDeadlineDays: input.responseDeadlineDays ?? 28,
      },
    });
    await tx.theme.createMany({
      data: DEFAULT_THEMES.map((name, i) => ({ practiceId: practice.id, name, position: i + 1 })),
    });
    await recordAudit(tx, { practiceId: practice.id, action: "practice.create", entityType: "Practice", entityId: practice.id });
    return practice;
  });
}

/** Adds a user (or finds one by e-mail) and gives them a role in the practice. */
export async function addUserToPractice(
  prisma: PrismaClient,
  input: { practiceId: string; email: string; name: string; password?: string; role: "MANAGER" | "FACILITATOR" | "VIEWER" },
) {
  const email = input.email.trim().toLowerCase();
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return prisma.$transaction(async (tx) => {
    const user = await tx.user.upsert({
      where: { email },
      create: { email, name: input.name, passwordHash: passwordHash ?? null, passwordChangedAt: passwordHash ? new Date() : null },
      update: passwordHash ? { passwordHash, passwordChangedAt: new Date() } : {},
    });
    await tx.membership.upsert({
      where: { practiceId_userId: { practiceId: input.practiceId, userId: user.id } },
      // Made by the operator on the server (CLI, demo seed): accepted at once.
      create: { practiceId: input.practiceId, userId: user.id, role: input.role, acceptedAt: new Date() },
      update: { role: input.role, active: true, acceptedAt: new Date() },
    });
    await recordAudit(tx, {
      practiceId: input.practiceId,
      action: "user.add",
      entityType: "User",
      entityId: user.id,
      details: { role: input.role },
    });
    return user;
  });
}
