// Go's time.Time.Format for UTC times: layouts written with the reference time
// Mon Jan 2 15:04:05 MST 2006, such as "2006-01-02" or "20060102150405".

import { GoTime } from "./values";

/** Go's time.RFC3339 layout, which GoReleaser uses for `.Date` and `.CommitDate`. */
export const rfc3339Layout = "2006-01-02T15:04:05Z07:00";

/** The layout of Go's Time.String, used when a template prints a time.Time such as `.Now`. */
export const goTimeStringLayout = "2006-01-02 15:04:05.999999999 -0700 MST";

const longMonthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const longDayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** Layout elements, in the order Go's layout scanner tries them at one position. */
const elements: readonly string[] = [
    "January", "Jan", "Monday", "Mon", "MST",
    "002", "01", "02", "03", "04", "05", "06",
    "15", "1", "2006", "2", "__2", "_2",
    "3", "4", "5", "PM", "pm",
    "-07:00:00", "-070000", "-07:00", "-0700", "-07",
    "Z07:00:00", "Z070000", "Z07:00", "Z0700", "Z07",
];

/** Returns the layout element at `index`, or undefined when the character there is literal text. */
function elementAt(layout: string, index: number): string | undefined {
    const rest = layout.slice(index);
    const fraction = /^[.,](0+|9+)/.exec(rest);
    if (fraction && !/[0-9]/.test(rest[fraction[0].length] ?? "")) return fraction[0];
    // "_2006" is a literal underscore followed by the year, as in Go.
    if (rest.startsWith("_2006")) return undefined;
    const element = elements.find((candidate) => rest.startsWith(candidate));
    // "Jan" and "Mon" followed by a lower-case letter are words such as "Janet" or "Month", not elements.
    if ((element === "Jan" || element === "Mon") && /^[a-z]/.test(rest.slice(3))) return undefined;
    return element;
}

function padded(value: number, width: number, padding = "0"): string {
    return String(value).padStart(width, padding);
}

/**
 * Formats a time in UTC with a Go layout, as time.Time.Format does. Each element of the reference
 * time (2006, 01, Jan, 02, _2, 15, 03, 04, 05, PM, MST, Z07:00, .000, .999 and the others)
 * becomes the time's value, and any other text is copied.
 */
export function formatGoTime(time: GoTime, layout: string): string {
    const date = time.toDate();
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth() + 1;
    const day = date.getUTCDate();
    const hour = date.getUTCHours();
    const minute = date.getUTCMinutes();
    const second = date.getUTCSeconds();
    const startOfYear = Date.UTC(year, 0, 1);
    const yearDay = Math.floor((Date.UTC(year, month - 1, day) - startOfYear) / 86_400_000) + 1;
    const hour12 = hour % 12 === 0 ? 12 : hour % 12;

    let output = "";
    for (let index = 0; index < layout.length; ) {
        const element = elementAt(layout, index);
        if (element === undefined) {
            output += layout[index];
            index++;
            continue;
        }
        index += element.length;
        if (element[0] === "." || element[0] === ",") {
            output += formatFraction(time.nanosecond, element);
            continue;
        }
        switch (element) {
            case "January":
                output += longMonthNames[month - 1];
                break;
            case "Jan":
                output += longMonthNames[month - 1].slice(0, 3);
                break;
            case "Monday":
                output += longDayNames[date.getUTCDay()];
                break;
            case "Mon":
                output += longDayNames[date.getUTCDay()].slice(0, 3);
                break;
            case "MST":
                output += "UTC";
                break;
            case "2006":
                output += padded(year, 4);
                break;
            case "06":
                output += padded(year % 100, 2);
                break;
            case "01":
                output += padded(month, 2);
                break;
            case "1":
                output += String(month);
                break;
            case "02":
                output += padded(day, 2);
                break;
            case "_2":
                output += padded(day, 2, " ");
                break;
            case "2":
                output += String(day);
                break;
            case "002":
                output += padded(yearDay, 3);
                break;
            case "__2":
                output += padded(yearDay, 3, " ");
                break;
            case "15":
                output += padded(hour, 2);
                break;
            case "03":
                output += padded(hour12, 2);
                break;
            case "3":
                output += String(hour12);
                break;
            case "04":
                output += padded(minute, 2);
                break;
            case "4":
                output += String(minute);
                break;
            case "05":
                output += padded(second, 2);
                break;
            case "5":
                output += String(second);
                break;
            case "PM":
                output += hour >= 12 ? "PM" : "AM";
                break;
            case "pm":
                output += hour >= 12 ? "pm" : "am";
                break;
            default:
                // Zone offsets: UTC is "Z" in the Z forms and a zero offset in the others.
                output += element.startsWith("Z") ? "Z" : element.replace("-", "+").replace(/07|00/g, "00");
        }
    }
    return output;
}

/** `.000` always prints that many digits; `.999` drops trailing zeros, and the separator too when nothing remains. */
function formatFraction(nanosecond: number, element: string): string {
    const digits = padded(nanosecond, 9).slice(0, element.length - 1);
    if (element[1] === "0") return element[0] + digits;
    const trimmed = digits.replace(/0+$/, "");
    return trimmed === "" ? "" : element[0] + trimmed;
}

/** Formats a JavaScript Date in UTC with a Go layout such as "2006-01-02"; see {@link formatGoTime}. */
export function formatDateWithGoLayout(date: Date, layout: string): string {
    return formatGoTime(GoTime.fromDate(date), layout);
}
