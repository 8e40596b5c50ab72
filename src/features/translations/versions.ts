// Which translation of a response the public sees: per language, the newest
// (createdAt, then id, descending: the order the public pages pick with
// take 1). Translations are append-only, so a second one into the same
// language replaces the first on the public pages and the first stays in the
// record; staff pages say which is which.

export interface TranslationLike {
  id: string;
  language: string;
  createdAt: Date;
}

export type TranslationVersion<T> = T & {
  /** The one the public pages show for its language. */
  current: boolean;
  /** When a newer translation into the same language replaced it (null: current). */
  replacedAt: Date | null;
};

const newestFirst = (a: TranslationLike, b: TranslationLike) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** The translations newest first, each marked current or replaced (and when). */
export function translationVersions<T extends TranslationLike>(translations: readonly T[]): TranslationVersion<T>[] {
  const newer = new Map<string, Date>();
  return [...translations].sort(newestFirst).map((tr) => {
    const replacedAt = newer.get(tr.language) ?? null;
    newer.set(tr.language, tr.createdAt);
    return { ...tr, current: replacedAt === null, replacedAt };
  });
}

/** The current translation per language. */
export function currentTranslations<T extends TranslationLike>(translations: readonly T[]): Map<string, T> {
  const out = new Map<string, T>();
  for (const tr of [...translations].sort(newestFirst)) if (!out.has(tr.language)) out.set(tr.language, tr);
  return out;
}
