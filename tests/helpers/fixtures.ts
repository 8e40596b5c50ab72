// Known data for tests: a practice with one user per role.
import crypto from "node:crypto";
import type { PrismaClient } from "../../src/generated/prisma/client.js";
import type { Role } from "../../src/generated/prisma/enums.js";
import { addUserToPractice, createPractice, newLinkToken } from "../../src/features/practices/service.js";

export const PASSWORD = "correct-horse-battery";

export interface StaffMember {
  id: string;
  email: string;
  password: string;
  role: Role;
}

export interface PracticeFixture {
  practice: { id: string; slug: string; name: string };
  manager: StaffMember;
  facilitator: StaffMember;
  viewer: StaffMember;
}

export async function createPracticeWithStaff(prisma: PrismaClient, name = "Test Practice"): Promise<PracticeFixture> {
  const tag = crypto.randomBytes(4).toString("hex");
  const practice = await createPractice(prisma, { name: `${name} ${tag}`, odsCode: `T${tag}`.slice(0, 8), slug: `test-${tag}` });
  const member = async (role: Role): Promise<StaffMember> => {
    const email = `${role.toLowerCase()}-${tag}@example.test`;
    const u = await addUserToPractice(prisma, { practiceId: practice.id, email, name: `${role} ${tag}`, password: PASSWORD, role });
    return { id: u.id, email, password: PASSWORD, role };
  };
  return { practice, manager: await member("MANAGER"), facilitator: await member("FACILITATOR"), viewer: await member("VIEWER") };
}

/** A partner, a group and a held session with its facilitator: the minimum ideas need. */
export async function createGroupAndSession(prisma: PrismaClient, f: PracticeFixture, opts: { endsAt?: Date; status?: "DRAFT" | "SCHEDULED" | "HELD" } = {}) {
  const practiceId = f.practice.id;
  const partner = await prisma.partnerOrganisation.create({ data: { practiceId, name: "Test partner" } });
  const group = await prisma.communityGroup.create({ data: { practiceId, partnerId: partner.id, name: "Test group", linkToken: newLinkToken() } });
  const endsAt = opts.endsAt ?? new Date(Date.now() - 24 * 3600 * 1000);
  const session = await prisma.communitySession.create({
    data: {
      practiceId, groupId: group.id, partnerId: partner.id, title: "Test session",
      startsAt: new Date(endsAt.getTime() - 2 * 3600 * 1000), endsAt, status: opts.status ?? "HELD",
      facilitators: { create: [{ practiceId, userId: f.facilitator.id }] },
    },
  });
  return { partner, group, session };
}
