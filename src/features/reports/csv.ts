// CSV for spreadsheets: correct quoting (csv-stringify), a UTF-8 byte order
// mark so Excel reads non-ASCII text, and protection against formula
// injection. Every text cell is quoted (so a `;` or tab inside it never
// splits it, whatever list separator the reader's spreadsheet uses), and a
// formula trigger (= + - @ tab CR) gets a single quote before it wherever a
// spreadsheet could start a new cell: at the start of the text, and after
// any character some spreadsheet takes as a cell or row separator
// (, ; tab CR LF). It is then shown as text, never run.
import { stringify, type Stringifier } from "csv-stringify";
import { utcToLondonParts } from "../../lib/dates.js";

/** Characters that make Excel, LibreOffice or Google Sheets treat a cell as a formula (OWASP list). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A trigger right after a separator some spreadsheet splits cells or rows on (Excel's list separator is `;` in much of Europe). */
const FORMULA_AFTER_SEPARATOR = /([,;\t\r\n])(?=[=+\-@\t\r])/g;

export function neutraliseCell(value: string): string {
  const inner = value.replace(FORMULA_AFTER_SEPARATOR, "$1'");
  return FORMULA_START.test(value) ? `'${inner}` : inner;
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
    quoted_string: true, // every text cell, not only those holding a comma
    cast: {
      string: (v) => neutraliseCell(v),
      boolean: (v) => (v ? "yes" : "no"),
      date: (v) => csvDateTime(v),
      number: (v) => String(v),
    },
  });
}
