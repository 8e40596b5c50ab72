// Words shown for statuses and consent: they live in lib/visibility.ts (one
// module for "who may see what" and how it is labelled); re-exported here for
// the staff views.
import {
  CONSENT_HINTS, CONSENT_LABELS, CONSENT_RANK, CONSENTS, IDEA_STATUSES, PUBLIC_ROLE_LABELS, STATUS_LABELS, STATUS_TAG_CLASSES,
} from "../../lib/visibility.js";

export { CONSENT_HINTS, CONSENT_LABELS, CONSENT_RANK, CONSENTS, IDEA_STATUSES, PUBLIC_ROLE_LABELS, STATUS_LABELS, STATUS_TAG_CLASSES };

export const ideaLabels = { STATUS_LABELS, STATUS_TAG_CLASSES, CONSENT_LABELS, CONSENT_HINTS, PUBLIC_ROLE_LABELS, IDEA_STATUSES, CONSENTS };
