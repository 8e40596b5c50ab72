// CSV for spreadsheets: correct quoting (csv-stringify), a UTF-8 byte order
// mark so Excel reads non-ASCII text, and protection against formula
// injection: a text cell that a spreadsheet would run as a formula gets a
// leading single quote, so it is shown as text.
import { stringify, type Stringifier } from "csv-stringify";
import { utcToLondonParts } from "../../lib/dates.js";

/** Characters that make Excel, LibreOffice or Google Sheets treat a cell as a formula (OWASP list). */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export type CsvCell = string | number | boolean | Date | null | undefined;

/** "2026-03-01 14:30" in Europe/London: sorts as text, and spreadsheets read it as a date-time. */
export function csvDateTime(d: Date | null | undefined): string {
  if (!d) return "";
  const p = utcToLondonParts(d);
  return `${p.year}-${p.month.padStart(2, "0")}-${p.day.padStart(2, "0")} ${p.time}`;
}

/** "2026-03-01": a calendar date (stored as a date, no time zone). */
export function csvDate(d: Date | null | undefined): string {
  return d ? d.toISOString().slice(0, 10) : "";
}

/** A stringifier with the header row, a BOM, CRLF line ends and neutralised text cells. */
export function csvStringifier(columns: string[]): Stringifier {
  return stringify({
    header: true,
    columns,
    bom: true,
    record_delimiter: "windows",
    quoted_string: false,
    cast: {
      string: (v) => neutraliseCell(v),
      boolean: (v) => (v ? "yes" : "no"),
      date: (v) => csvDateTime(v),
      number: (v) => String(v),
    },
  });
}
