import { ZxcvbnFactory, type ZxcvbnResult } from "@zxcvbn-ts/core";

/** Passwords are at least this long (and at most MAX_PASSWORD_LENGTH, app/lib/schemas/accounts.ts). */
export const STRONG_PASSWORD_SCORE = 3;

/**
 * zxcvbn's warnings, grouped into the reasons Convene explains (errors.password*): each says why
 * a password was refused, in the user's language.
 */
const REASONS: Record<string, string> = {
  topTen: "errors.passwordCommon",
  topHundred: "errors.passwordCommon",
  common: "errors.passwordCommon",
  similarToCommon: "errors.passwordCommon",
  pwned: "errors.passwordCommon",
  straightRow: "errors.passwordKeyboard",
  keyPattern: "errors.passwordKeyboard",
  simpleRepeat: "errors.passwordRepeated",
  extendedRepeat: "errors.passwordRepeated",
  sequences: "errors.passwordSequence",
  recentYears: "errors.passwordDates",
  dates: "errors.passwordDates",
  wordByItself: "errors.passwordWords",
  namesByThemselves: "errors.passwordWords",
  commonNames: "errors.passwordWords",
  userInputs: "errors.passwordPersonal",
};

let factory: Promise<ZxcvbnFactory> | undefined;

/**
 * zxcvbn-ts with its common dictionaries (the most used and breached passwords, names, words of
 * many languages, keyboard layouts) and English words, loaded on first use: several MB that
 * a server which never sets a password need not hold. Warnings come back as their keys.
 */
function estimator(): Promise<ZxcvbnFactory> {
  factory ??= (async () => {
    const [common, en] = await Promise.all([import("@zxcvbn-ts/language-common"), import("@zxcvbn-ts/language-en")]);
    const keys = <T extends Record<string, string>>(o: T) => Object.fromEntries(Object.keys(o).map((k) => [k, k])) as T;
    return new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
      translations: { ...en.translations, warnings: keys(en.translations.warnings), suggestions: keys(en.translations.suggestions) },
    });
  })();
  return factory;
}

/**
 * Why a new password is refused, as a message key, or null when it is strong enough: zxcvbn's
 * estimate must reach STRONG_PASSWORD_SCORE (about 10^8 guesses: beyond what an attacker holding
 * the database tries against an argon2id hash of each account); one built on the user's own name
 * or email (counted as known words) must reach the top score (10^10). The length limits are the form's (12 to 256 characters).
 */
export async function passwordProblem(password: string, userInputs: (string | null | undefined)[] = []): Promise<string | null> {
  const words = userInputs.flatMap((value) => (value ? value.toLowerCase().split(/[\s@.\-_+]+/).filter((w) => w.length >= 3) : []));
  const result: ZxcvbnResult = (await estimator()).check(password, words);
  // built on the user's own name or email: the first guesses of someone who targets this account,
  // so such a password needs the top score
  const personal = result.sequence.some((match) => "dictionaryName" in match && match.dictionaryName === "userInputs");
  if (personal && result.score < 4) return "errors.passwordPersonal";
  if (result.score >= STRONG_PASSWORD_SCORE) return null;
  return REASONS[result.feedback.warning ?? ""] ?? "errors.passwordWeak";
}
