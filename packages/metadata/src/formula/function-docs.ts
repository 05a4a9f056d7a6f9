import type { Message } from '../types.js';

/** What the formula editor and the docs show of a function. */
export interface FunctionDoc {
  /** `ROUND(number, [digits])` */
  syntax: string;
  description: Message;
  example: string;
}

/**
 * The formula functions' syntax, description and example, by name — apart from their implementations
 * (functions.ts), so the browser's form chunk, which evaluates formulas, does not carry the texts.
 */
export const FUNCTION_DOCS: Readonly<Record<string, FunctionDoc>> = {
  IF: {
    syntax: 'IF(condition, then, [else])',
    description: {
      'zh-CN': '条件为真时返回第二个参数，否则返回第三个（省略时为空）',
      en: 'Returns the second argument when the condition is true, else the third (empty when omitted)',
    },
    example: 'IF(amount > 10000, "大单", "普通")',
  },
  IFS: {
    syntax: 'IFS(condition1, value1, [condition2, value2], …)',
    description: {
      'zh-CN': '返回第一个为真的条件对应的值；都不成立时为空',
      en: 'Returns the value of the first true condition; empty when none is true',
    },
    example: 'IFS(score >= 90, "A", score >= 60, "B", TRUE, "C")',
  },
  AND: {
    syntax: 'AND(condition1, [condition2], …)',
    description: {
      'zh-CN': '所有条件都为真时为 TRUE（也可写作 &&）',
      en: 'TRUE when every condition is true (also written &&)',
    },
    example: 'AND(qty > 0, price > 0)',
  },
  OR: {
    syntax: 'OR(condition1, [condition2], …)',
    description: {
      'zh-CN': '任一条件为真时为 TRUE（也可写作 ||）',
      en: 'TRUE when any condition is true (also written ||)',
    },
    example: 'OR(grade = "A", amount > 10000)',
  },
  NOT: {
    syntax: 'NOT(condition)',
    description: {
      'zh-CN': '条件取反（也可写作 !）',
      en: 'The opposite of the condition (also written !)',
    },
    example: 'NOT(ISEMPTY(phone))',
  },
  IFERROR: {
    syntax: 'IFERROR(value, fallback)',
    description: {
      'zh-CN': '第一个参数计算出错（如除数为 0）时返回第二个参数',
      en: 'Returns the fallback when the value is an error (such as division by zero)',
    },
    example: 'IFERROR(profit / revenue, 0)',
  },
  SUM: {
    syntax: 'SUM(number1, [number2], …)',
    description: {
      'zh-CN': '求和；可对子表单列求和，空值忽略',
      en: 'The sum; works on a subform column; blanks are ignored',
    },
    example: 'SUM(items.amount)',
  },
  AVERAGE: {
    syntax: 'AVERAGE(number1, [number2], …)',
    description: {
      'zh-CN': '平均值，空值不计入',
      en: 'The average, ignoring blanks',
    },
    example: 'AVERAGE(items.price)',
  },
  MIN: {
    syntax: 'MIN(value1, [value2], …)',
    description: {
      'zh-CN': '最小值（数字或日期），空值忽略',
      en: 'The smallest value (numbers or dates), ignoring blanks',
    },
    example: 'MIN(items.price)',
  },
  MAX: {
    syntax: 'MAX(value1, [value2], …)',
    description: {
      'zh-CN': '最大值（数字或日期），空值忽略',
      en: 'The largest value (numbers or dates), ignoring blanks',
    },
    example: 'MAX(items.deliveryDate)',
  },
  COUNT: {
    syntax: 'COUNT(value1, [value2], …)',
    description: {
      'zh-CN': '非空值的个数；COUNT(子表单) 为行数',
      en: 'The number of non-empty values; COUNT(subform) is its number of rows',
    },
    example: 'COUNT(items)',
  },
  SUMPRODUCT: {
    syntax: 'SUMPRODUCT(list1, [list2], …)',
    description: {
      'zh-CN': '各列表对应项相乘后求和，列表长度必须相同',
      en: 'Multiplies the lists item by item and sums the products; the lists must be the same length',
    },
    example: 'SUMPRODUCT(items.qty, items.price)',
  },
  ROUND: {
    syntax: 'ROUND(number, [digits])',
    description: {
      'zh-CN': '四舍五入到指定小数位数（默认 0）',
      en: 'Rounds half up to the given number of decimal places (default 0)',
    },
    example: 'ROUND(3.14159, 2)',
  },
  ROUNDUP: {
    syntax: 'ROUNDUP(number, [digits])',
    description: {
      'zh-CN': '向远离 0 的方向舍入',
      en: 'Rounds away from zero',
    },
    example: 'ROUNDUP(3.141, 2)',
  },
  ROUNDDOWN: {
    syntax: 'ROUNDDOWN(number, [digits])',
    description: {
      'zh-CN': '向 0 的方向舍入（截断）',
      en: 'Rounds toward zero (truncates)',
    },
    example: 'ROUNDDOWN(3.149, 2)',
  },
  INT: {
    syntax: 'INT(number)',
    description: {
      'zh-CN': '向下取整（不大于该数的最大整数）',
      en: 'Rounds down to the nearest integer',
    },
    example: 'INT(-2.5)',
  },
  MOD: {
    syntax: 'MOD(number, divisor)',
    description: {
      'zh-CN': '余数，符号与除数相同（运算符 % 相同）',
      en: 'The remainder, with the sign of the divisor (same as the % operator)',
    },
    example: 'MOD(10, 3)',
  },
  ABS: {
    syntax: 'ABS(number)',
    description: {
      'zh-CN': '绝对值',
      en: 'The absolute value',
    },
    example: 'ABS(-5)',
  },
  POWER: {
    syntax: 'POWER(number, exponent)',
    description: {
      'zh-CN': '乘方（运算符 ^ 相同）',
      en: 'Raises to a power (same as the ^ operator)',
    },
    example: 'POWER(2, 10)',
  },
  VALUE: {
    syntax: 'VALUE(text)',
    description: {
      'zh-CN': '把文本转换为数字（支持千分位、货币符号、百分号）',
      en: 'Converts text to a number (thousands separators, currency signs and % allowed)',
    },
    example: 'VALUE("1,234.5")',
  },
  CONCATENATE: {
    syntax: 'CONCATENATE(text1, [text2], …)',
    description: {
      'zh-CN': '连接文本（运算符 & 相同）',
      en: 'Joins texts (same as the & operator)',
    },
    example: 'CONCATENATE(name, "-", phone)',
  },
  TEXT: {
    syntax: 'TEXT(value, [format])',
    description: {
      'zh-CN': '按格式把数字或日期转为文本，如 "0.00"、"#,##0"、"0%"、"yyyy-MM-dd"',
      en: 'Formats a number or date as text, e.g. "0.00", "#,##0", "0%", "yyyy-MM-dd"',
    },
    example: 'TEXT(signedAt, "yyyy年M月d日")',
  },
  LEN: {
    syntax: 'LEN(text)',
    description: {
      'zh-CN': '文本的字符数',
      en: 'The number of characters in the text',
    },
    example: 'LEN(phone)',
  },
  LEFT: {
    syntax: 'LEFT(text, [count])',
    description: {
      'zh-CN': '从左边取指定个数的字符（默认 1）',
      en: 'The first characters of the text (default 1)',
    },
    example: 'LEFT(name, 1)',
  },
  RIGHT: {
    syntax: 'RIGHT(text, [count])',
    description: {
      'zh-CN': '从右边取指定个数的字符（默认 1）',
      en: 'The last characters of the text (default 1)',
    },
    example: 'RIGHT(phone, 4)',
  },
  MID: {
    syntax: 'MID(text, start, count)',
    description: {
      'zh-CN': '从第 start 个字符起取 count 个字符（从 1 开始计数）',
      en: 'count characters starting at position start (1-based)',
    },
    example: 'MID(idNumber, 7, 8)',
  },
  UPPER: {
    syntax: 'UPPER(text)',
    description: {
      'zh-CN': '转为大写',
      en: 'Converts to upper case',
    },
    example: 'UPPER(code)',
  },
  LOWER: {
    syntax: 'LOWER(text)',
    description: {
      'zh-CN': '转为小写',
      en: 'Converts to lower case',
    },
    example: 'LOWER(email)',
  },
  TRIM: {
    syntax: 'TRIM(text)',
    description: {
      'zh-CN': '去掉首尾空白，并把中间连续空白合并为一个空格',
      en: 'Removes leading and trailing spaces and collapses inner runs of spaces',
    },
    example: 'TRIM(name)',
  },
  SUBSTITUTE: {
    syntax: 'SUBSTITUTE(text, old, new, [instance])',
    description: {
      'zh-CN': '把文本中的 old 替换为 new；给出 instance 时只替换第几次出现',
      en: 'Replaces old with new in the text; with instance, only that occurrence',
    },
    example: 'SUBSTITUTE(phone, "-", "")',
  },
  CONTAINS: {
    syntax: 'CONTAINS(textOrList, search)',
    description: {
      'zh-CN': '文本是否包含 search（不区分大小写）；对多选/标签判断是否含有该项',
      en: 'Whether the text contains search (case-insensitive); for multi-select/tags, whether the item is present',
    },
    example: 'CONTAINS(tags, "VIP")',
  },
  SEARCH: {
    syntax: 'SEARCH(find, text, [start])',
    description: {
      'zh-CN': 'find 在文本中第一次出现的位置（从 1 开始，不区分大小写），找不到为 0',
      en: 'The position of find in the text (1-based, case-insensitive); 0 when absent',
    },
    example: 'SEARCH("@", email)',
  },
  TODAY: {
    syntax: 'TODAY()',
    description: {
      'zh-CN': '今天的日期（按用户时区）',
      en: "Today's date (in the user's time zone)",
    },
    example: 'DATEDIF(signedAt, TODAY(), "d")',
  },
  NOW: {
    syntax: 'NOW()',
    description: {
      'zh-CN': '当前日期和时间',
      en: 'The current date and time',
    },
    example: 'DATEADD(NOW(), 2, "h")',
  },
  DATE: {
    syntax: 'DATE(year, month, day)',
    description: {
      'zh-CN': '由年、月、日组成日期；超出的月、日顺延（DATE(2024, 13, 1) = 2025-01-01）',
      en: 'A date from year, month and day; overflowing months and days roll over (DATE(2024, 13, 1) = 2025-01-01)',
    },
    example: 'DATE(2024, 12, 31)',
  },
  DATEDIF: {
    syntax: 'DATEDIF(start, end, unit)',
    description: {
      'zh-CN':
        '两个日期之差：unit 为 "d"（天）、"m"（整月）、"y"（整年）或 "h"（小时）；开始晚于结束时为负数',
      en: 'The difference between two dates: unit "d" (days), "m" (whole months), "y" (whole years) or "h" (hours); negative when start is after end',
    },
    example: 'DATEDIF(createdAt, TODAY(), "d")',
  },
  DATEADD: {
    syntax: 'DATEADD(date, amount, unit)',
    description: {
      'zh-CN': '日期加上若干 "d"（天）、"m"（月）、"y"（年）或 "h"（小时）；月末按月份天数截断',
      en: 'Adds an amount of "d" (days), "m" (months), "y" (years) or "h" (hours) to a date; month ends are clamped',
    },
    example: 'DATEADD(signedAt, 30, "d")',
  },
  YEAR: {
    syntax: 'YEAR(date)',
    description: {
      'zh-CN': '日期的年份',
      en: 'The year of a date',
    },
    example: 'YEAR(signedAt)',
  },
  MONTH: {
    syntax: 'MONTH(date)',
    description: {
      'zh-CN': '日期的月份（1–12）',
      en: 'The month of a date (1–12)',
    },
    example: 'MONTH(signedAt)',
  },
  DAY: {
    syntax: 'DAY(date)',
    description: {
      'zh-CN': '日期是当月的第几天',
      en: 'The day of the month of a date',
    },
    example: 'DAY(signedAt)',
  },
  WEEKDAY: {
    syntax: 'WEEKDAY(date, [type])',
    description: {
      'zh-CN': '星期几：type 1（默认）周日 = 1…周六 = 7；2 周一 = 1…周日 = 7；3 周一 = 0…周日 = 6',
      en: 'The day of the week: type 1 (default) Sunday = 1 … Saturday = 7; 2 Monday = 1 … Sunday = 7; 3 Monday = 0 … Sunday = 6',
    },
    example: 'WEEKDAY(TODAY(), 2)',
  },
  ISEMPTY: {
    syntax: 'ISEMPTY(value)',
    description: {
      'zh-CN': '值为空（空值、空白文本或空列表）时为 TRUE',
      en: 'TRUE when the value is empty (null, blank text or an empty list)',
    },
    example: 'ISEMPTY(phone)',
  },
  ISNOTEMPTY: {
    syntax: 'ISNOTEMPTY(value)',
    description: {
      'zh-CN': '值不为空时为 TRUE',
      en: 'TRUE when the value is not empty',
    },
    example: 'ISNOTEMPTY(email)',
  },
};
