// /users (managers: invite, change role, deactivate), /invitations/:token
// (set your own password), /account/password (change it) and /audit.
import { describeAuditEvent } from "../audit/describe.js";
import { formIdFor } from "../../lib/idempotency.js";
import { Router, type Request, type Response } from "express";
import type { AppContext } from "../../services.js";
import { NotFoundError } from "../../lib/errors.js";
import { errorList, validate, type FieldErrors } from "../../lib/forms.js";
import { hrefWithQuery, paginationParams, parsePage } from "../../lib/pagination.js";
import { isUuid, MANAGERS, SecuredRouter, type RouteSpec } from "../../lib/routing.js";
import { redirectAfterSave } from "../../lib/session.js";
import { currentUser } from "../../middleware/auth.js";
import { ensureCsrfToken } from "../../middleware/csrf.js";
import { TOO_MANY_ATTEMPTS } from "../auth/rate-limit.js";
import { CHANGE_PASSWORD_FIELDS, changePasswordSchema, INVITE_FIELDS, inviteSchema, roleSchema, SET_PASSWORD_FIELDS, setPasswordSchema } from "./schemas.js";
import {
  INVITATION_DAYS,
  ROLES,
  type MemberStatus,
} from "./service.js";

declare module "express-session" {
  interface SessionData {
    /** An invitation link, shown to the manager once on the user's page and then forgotten. */
    invitationLink?: { userId: string; url: string };
  }
}

export const STATUS_TAGS: Record<MemberStatus, { text: string; classes: string }> = {
  ACTIVE: { text: "Active", classes: "nhsuk-tag--green" },
  INVITED: { text: "Invited", classes: "nhsuk-tag--blue" },
  DEACTIVATED: { text: "Deactivated", classes: "nhsuk-tag--grey" },
};

export const ACTION_LABELS: Record<string, string> = {
  "auth.sign-in": "Signed in",
  "auth.sign-in-failed": "Failed sign-in",
  "auth.sign-in-blocked": "Sign-in refused: too many attempts",
  "auth.sign-out": "Signed out",
  "practice.create": "Practice created",
  "user.add": "User added",
  "user.invite": "User added and invited",
  "user.invitation-reissue": "New invitation link created",
  "user.invitation-accept": "Invitation accepted",
  "user.role-change": "Role changed",
  "user.deactivate": "User deactivated",
  "user.reactivate": "User reactivated",
  "user.password-set": "Password set from invitation",
  "user.password-change": "Password changed",
  "user.email-preferences": "E-mail choices changed",
  "mail.retry": "Failed e-mail tried again",
};

const INVALID_INVITATION = { title: "This invitation link cannot be used" };

function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
}

function strings(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (body && typeof body === "object") for (const [k, v] of Object.entries(body)) if (typeof v === "string" && k !== "_csrf") out[k] = v;
  return out;
}

export function usersRoutes({ services, config }: AppContext, registry: RouteSpec[]): Router {
  const {
    acceptInvitation, auditActors, auditPage, changeOwnPassword, changeRole, findUsableInvitation, getMember, inviteUser, joinPractice, listMembers,
    reissueInvitation, setMembershipActive,
  } = services.users;
  // Guessing the current password from a stolen session counts as guessing at sign-in.
  const limiter = services.auth.loginLimiter;
  const router = Router();
  const r = new SecuredRouter(router, registry);

  const linkFor = (_req: Request, token: string) => `${config.publicUrl}/invitations/${token}`;

  async function memberOr404(res: Response, id: unknown) {
    if (!isUuid(id)) throw new NotFoundError();
    const member = await getMember(currentUser(res).practice.id, id);
    if (!member) throw new NotFoundError();
    return member;
  }

  async function renderMember(req: Request, res: Response, id: string, opts: { status?: number; errors?: FieldErrors; values?: Record<string, string> } = {}) {
    const member = await memberOr404(res, id);
    let invitationLink: string | undefined;
    if (req.session.invitationLink?.userId === member.id) {
      invitationLink = req.session.invitationLink.url;
      delete req.session.invitationLink;
    }
    const errors = opts.errors ?? {};
    res.status(opts.status ?? 200).render("users/show", {
      title: member.name,
      member,
      statusTag: STATUS_TAGS[member.status],
      roles: ROLES,
      invitationLink,
      invitationDays: INVITATION_DAYS,
      isSelf: member.id === currentUser(res).id,
      errors,
      errorList: errorList(errors, ["role", "status", "invitation"]),
      values: { role: member.role, ...(opts.values ?? {}) },
      backLink: { href: "/users" },
    });
  }

  r.get("/users", MANAGERS, async (req, res) => {
    const user = currentUser(res);
    const page = parsePage(req.query.page);
    const { total, members } = await listMembers(user.practice.id, page);
    res.render("users/index", {
      title: "Users",
      members,
      statusTags: STATUS_TAGS,
      total,
      pagination: paginationParams({ page, total, hrefFor: (p) => hrefWithQuery("/users", req.query, { page: p === 1 ? undefined : p }) }),
    });
  });

  r.get("/users/new", MANAGERS, (_req, res) => {
    res.render("users/new", { title: "Add a user", values: { formId: formIdFor() }, roles: ROLES, backLink: { href: "/users" } });
  });

  r.post("/users", MANAGERS, async (req, res) => {
    const user = currentUser(res);
    const values = strings(req.body);
    const renderErrors = (errors: FieldErrors) =>
      res.status(400).render("users/new", { title: "Add a user", errors, errorList: errorList(errors, INVITE_FIELDS), values, roles: ROLES, backLink: { href: "/users" } });
    const v = validate(inviteSchema, req.body);
    if (!v.ok) return renderErrors(v.errors);
    const result = await inviteUser(user.practice.id, user.id, v.data);
    if (!result.ok) return renderErrors(result.errors);
    if (result.kind === "invited") {
      req.session.invitationLink = { userId: result.userId, url: linkFor(req, result.token) };
      // The same reply whether or not the address already has an account.
      req.session.flash = { type: "success", text: `${v.data.name} has been invited. Copy the invitation link below and send it to them` };
    }
    await redirectAfterSave(req, res, `/users/${result.userId}`);
  });

  r.get("/users/:id", MANAGERS, async (req, res) => {
    await renderMember(req, res, String(req.params.id));
  });

  r.post("/users/:id/role", MANAGERS, async (req, res) => {
    const member = await memberOr404(res, req.params.id);
    const v = validate(roleSchema, req.body);
    if (!v.ok) return renderMember(req, res, member.id, { status: 400, errors: v.errors, values: strings(req.body) });
    const result = await changeRole(currentUser(res).practice.id, currentUser(res).id, member.id, v.data.role);
    if (!result.ok) return renderMember(req, res, member.id, { status: 400, errors: result.errors, values: strings(req.body) });
    req.session.flash = { type: "success", text: result.changed ? `${member.name} is now a ${roleName(v.data.role)}` : `${member.name} was already a ${roleName(v.data.role)}` };
    await redirectAfterSave(req, res, `/users/${member.id}`);
  });

  for (const [action, active] of [["deactivate", false], ["reactivate", true]] as const) {
    r.post(`/users/:id/${action}`, MANAGERS, async (req, res) => {
      const member = await memberOr404(res, req.params.id);
      const result = await setMembershipActive(currentUser(res).practice.id, currentUser(res).id, member.id, active);
      if (!result.ok) return renderMember(req, res, member.id, { status: 400, errors: result.errors });
      req.session.flash = { type: "success", text: `${member.name} ${result.changed ? "has been" : "was already"} ${active ? "reactivated" : "deactivated"}` };
      await redirectAfterSave(req, res, `/users/${member.id}`);
    });
  }

  r.post("/users/:id/invitation", MANAGERS, async (req, res) => {
    const member = await memberOr404(res, req.params.id);
    const result = await reissueInvitation(currentUser(res).practice.id, currentUser(res).id, member.id);
    if (!result.ok) return renderMember(req, res, member.id, { status: 400, errors: result.errors });
    req.session.invitationLink = { userId: member.id, url: linkFor(req, result.token) };
    req.session.flash = { type: "success", text: "A new invitation link has been created. Earlier links no longer work" };
    await redirectAfterSave(req, res, `/users/${member.id}`);
  });

  // An invitation link. It sets a password only for an account this
  // practice's invitation created (and accepts that membership alone); any
  // other account must be signed in to accept (docs/trust.md).
  r.get("/invitations/:token", "public", async (req, res) => {
    const token = String(req.params.token);
    const invitation = await findUsableInvitation(token);
    if (!invitation) return res.status(404).render("users/invitation-invalid", { ...INVALID_INVITATION, noindex: true });
    const signedIn = res.locals.currentUser;
    if (signedIn && signedIn.id === invitation.user.id) {
      return res.render("users/invitation-accept", { title: `Join ${invitation.practiceName}`, invitation, token, roleName: roleName(invitation.role), noindex: true });
    }
    if (signedIn) {
      return res.status(403).render("users/invitation-other-account", { title: "This invitation is for another account", noindex: true });
    }
    if (!invitation.setsPassword) {
      return res.render("users/invitation-sign-in", {
        title: `Sign in to join ${invitation.practiceName}`, invitation, signInHref: `/login?next=${encodeURIComponent(`/invitations/${token}`)}`, noindex: true,
      });
    }
    ensureCsrfToken(req, res);
    res.render("users/invitation", { title: "Set your password", invitation, values: {}, noindex: true });
  });

  r.post("/invitations/:token", "public", async (req, res) => {
    const token = String(req.params.token);
    const invitation = await findUsableInvitation(token);
    if (!invitation || !invitation.setsPassword) return res.status(404).render("users/invitation-invalid", { ...INVALID_INVITATION, noindex: true });
    const v = validate(setPasswordSchema, req.body);
    if (!v.ok) {
      ensureCsrfToken(req, res);
      return res.status(400).render("users/invitation", {
        title: "Set your password", invitation, values: {}, errors: v.errors, errorList: errorList(v.errors, SET_PASSWORD_FIELDS), noindex: true,
      });
    }
    const accepted = await acceptInvitation(token, v.data.newPassword);
    if (!accepted) return res.status(404).render("users/invitation-invalid", { ...INVALID_INVITATION, noindex: true });
    await regenerate(req);
    req.session.userId = accepted.userId;
    req.session.practiceId = accepted.practiceId;
    req.session.signedInAt = Date.now();
    req.session.flash = { type: "success", text: "Your password has been set and you are signed in" };
    await redirectAfterSave(req, res, "/dashboard");
  });

  // The account's holder, signed in, agrees to join the practice.
  r.post("/invitations/:token/accept", "signedIn", async (req, res) => {
    const joined = await joinPractice(String(req.params.token), currentUser(res).id);
    if (!joined) return res.status(404).render("users/invitation-invalid", { ...INVALID_INVITATION, noindex: true });
    req.session.practiceId = joined.practiceId;
    req.session.flash = { type: "success", text: "You have joined the practice and are now working in it" };
    await redirectAfterSave(req, res, "/dashboard");
  });

  r.get("/account/password", "signedIn", (_req, res) => {
    res.render("users/password", { title: "Change your password", values: {}, backLink: { href: "/dashboard" } });
  });

  r.post("/account/password", "signedIn", async (req, res) => {
    const user = currentUser(res);
    const renderErrors = (errors: FieldErrors, status = 400) =>
      res.status(status).render("users/password", {
        title: "Change your password", values: {}, errors, errorList: errorList(errors, CHANGE_PASSWORD_FIELDS), backLink: { href: "/dashboard" },
      });
    const v = validate(changePasswordSchema, req.body);
    if (!v.ok) return renderErrors(v.errors);
    const ip = req.ip ?? "unknown";
    const attempt = await limiter.reserve(user.email, ip);
    if (attempt.blocked) {
      return renderErrors({ currentPassword: TOO_MANY_ATTEMPTS }, 429);
    }
    const result = await changeOwnPassword(user.practice.id, user.id, { ...v.data, keepSessionId: req.sessionID });
    // A wrong current password counts as a failed sign-in; anything else was not a guess.
    if (result.ok || !result.errors.currentPassword) await attempt.succeeded();
    else await attempt.failed();
    if (!result.ok) return renderErrors(result.errors);
    // Other sessions were ended; this one continues under a new id.
    const { userId, practiceId, signedInAt } = req.session;
    await regenerate(req);
    Object.assign(req.session, { userId, practiceId, signedInAt });
    req.session.flash = { type: "success", text: "Your password has been changed. You have been signed out everywhere else" };
    await redirectAfterSave(req, res, "/dashboard");
  });

  // Filters: what happened and who did it. Values that name no known event or
  // no member of this practice are ignored, like any other bad filter.
  r.get("/audit", MANAGERS, async (req, res) => {
    const practiceId = currentUser(res).practice.id;
    const page = parsePage(req.query.page);
    const actors = await auditActors(practiceId);
    const action = typeof req.query.action === "string" && Object.hasOwn(ACTION_LABELS, req.query.action) ? req.query.action : undefined;
    const actorId = typeof req.query.who === "string" && actors.some((u) => u.id === req.query.who) ? req.query.who : undefined;
    const kept: Record<string, string> = {};
    if (action) kept.action = action;
    if (actorId) kept.who = actorId;
    const { total, events } = await auditPage(practiceId, page, { action, actorId });
    res.render("users/audit", {
      title: "Audit log",
      events: events.map((e) => ({ ...e, label: ACTION_LABELS[e.action] ?? e.action, ...describeAuditEvent({ ...e, details: e.rawDetails }) })),
      total,
      filtered: Boolean(action || actorId),
      filters: { action, who: actorId },
      actionChoices: Object.entries(ACTION_LABELS).map(([value, text]) => ({ value, text })).sort((x, y) => x.text.localeCompare(y.text, "en-GB")),
      actors,
      pagination: paginationParams({ page, total, hrefFor: (p) => hrefWithQuery("/audit", kept, { page: p === 1 ? undefined : p }) }),
      backLink: { href: "/users" },
    });
  });

  return router;
}

function roleName(role: string): string {
  return role === "MANAGER" ? "practice manager" : role === "FACILITATOR" ? "facilitator" : "read-only user";
}
