// An idea's staff timeline with the group's verdicts between the responses
// (newest first), and whether the group's latest verdict keeps it open.
import { reopeningVerdict } from "../../lib/visibility.js";
import { VERDICT_LABELS, VERDICT_TAG_CLASSES } from "../../lib/vocabulary.js";
import type { Consent, VerdictKind } from "../../generated/prisma/enums.js";
import { languageName, TRANSLATION_LANGUAGES, TRANSLATOR_ROLE_LABELS } from "../translations/service.js";
import { translationVersions } from "../translations/versions.js";

interface VerdictRow { id: string; kind: VerdictKind; words: string; saidAt: Date; createdAt: Date }
interface ResponseRow { id: string; createdAt: Date; isPublic: boolean }

export function verdictTimeline<R extends ResponseRow>(idea: { consent: Consent; responses: R[]; verdicts?: VerdictRow[] }) {
  const verdicts = idea.verdicts ?? [];
  const entries: ({ at: Date; response: R; verdict?: undefined } | { at: Date; verdict: VerdictRow; response?: undefined })[] = [
    ...idea.responses.map((response) => ({ at: response.createdAt, response })),
    ...verdicts.map((verdict) => ({ at: verdict.createdAt, verdict })),
  ];
  entries.sort((a, b) => b.at.getTime() - a.at.getTime());
  return { entries, reopened: reopeningVerdict(idea) };
}

export const verdictViewHelpers = {
  verdictTimeline, verdictLabels: VERDICT_LABELS, verdictTags: VERDICT_TAG_CLASSES,
  translationLanguageName: languageName, translatorRoleLabels: TRANSLATOR_ROLE_LABELS,
  translationDir: (code: string) => TRANSLATION_LANGUAGES.find((l) => l.code === code)?.dir ?? "auto",
  translationVersions,
};
