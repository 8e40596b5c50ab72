// Password rules for staff accounts (NCSC guidance: length over complexity,
// and never one of the most common passwords).
const COMMON = new Set([
  "password", "password1", "password123", "passw0rd", "123456789012", "1234567890", "qwertyuiop", "qwerty123456",
  "iloveyou", "letmein", "welcome", "welcome123", "admin", "administrator", "monkey", "dragon", "football", "baseball",
  "sunshine", "princess", "abc123", "trustno1", "starwars", "superman", "michael", "shadow", "master", "whatever",
  "123123123123", "111111111111", "000000000000", "aaaaaaaaaaaa", "passwordpassword", "changeme", "changeme123",
  "qwertyuiop123", "1q2w3e4r5t6y", "zaq12wsxcde3", "nhsnhsnhsnhs", "practice1234", "surgery12345", "doctor123456",
]);

export const MIN_PASSWORD_LENGTH = 12;

/** A message saying what is wrong with the password, or undefined when it is acceptable. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `Password must be ${MIN_PASSWORD_LENGTH} characters or more`;
  if (password.length > 256) return "Password must be 256 characters or fewer";
  const normalised = password.toLowerCase();
  if (COMMON.has(normalised) || /^(.)\1+$/.test(password) || /^(0123456789|1234567890|abcdefghijkl)/.test(normalised)) {
    return "Password is too common: choose a longer phrase that others would not guess";
  }
  return undefined;
}
