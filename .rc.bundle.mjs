// ../../tmp/val3/rc.mts
import { readFileSync } from "node:fs";

// node_modules/udsv/dist/uDSV.mjs
var comma = ",";
var quote = '"';
var tab = "	";
var pipe = "|";
var semi = ";";
var ISO8601 = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}(?:\.\d{3,})?(?:Z|[-+]\d{2}:?\d{2}))?$/;
var BOOL_RE = /^(?:t(?:rue)?|f(?:alse)?|y(?:es)?|n(?:o)?|0|1)$/i;
var COL_DELIMS = [tab, pipe, semi, comma];
function stripBOM(str2) {
  return str2.charCodeAt(0) === 65279 ? str2.slice(1) : str2;
}
function boolTrue(v) {
  let [c0, c1 = ""] = v;
  return c0 == "1" || c0 == "0" ? "1" : c0 == "t" || c0 == "f" ? c1 == "" ? "t" : "true" : c0 == "T" || c0 == "F" ? c1 == "" ? "T" : c1 == "R" || c1 === "A" ? "TRUE" : "True" : c0 == "y" || c0 == "n" ? c1 == "" ? "y" : "yes" : c0 == "Y" || c0 == "N" ? c1 == "" ? "Y" : c1 == "E" || c1 === "O" ? "YES" : "Yes" : "";
}
function isJSON(v) {
  if (v[0] === "[" || v[0] === "{") {
    try {
      JSON.parse(v);
      return true;
    } catch {
    }
  }
  return false;
}
var T_STRING = "s";
var T_DATE = "d";
var T_TIME = "t";
var T_NUMBER = "n";
var T_JSON = "j";
var T_BOOLEAN = "b";
function guessType(ci, rows2) {
  let row = rows2.findLast(
    (r) => r[ci] !== "" && r[ci] !== "null" && r[ci] !== "Null" && r[ci] !== "NULL" && r[ci] !== "NaN" && r[ci] !== "undefined" && r[ci] !== "Undefined" && r[ci] !== "UNDEFINED"
  );
  let t = T_STRING;
  if (row != null) {
    let v = row[ci];
    t = ISO8601.test(v) ? T_DATE : +v === +v ? T_NUMBER : BOOL_RE.test(v) ? T_BOOLEAN + ":" + boolTrue(v) : isJSON(v) ? T_JSON : t;
  }
  return t;
}
var toJSON = JSON.stringify;
var onlyStrEsc = (v) => typeof v === "string" ? toJSON(v) : v;
function getValParseExpr(ci, col2) {
  let { type, parse: parse2, repl } = col2;
  let rv = `r[${ci}]`;
  let parseExpr = parse2 != null ? `c[${ci}].parse(${rv})` : type === T_DATE ? `new Date(${rv})` : type === T_TIME ? `Date.parse(${rv})` : type === T_JSON ? `JSON.parse(${rv})` : type === T_NUMBER ? `+${rv}` : type[0] === T_BOOLEAN ? `${rv} === ${toJSON(type.slice(2))} ? true : false` : rv;
  let nanExpr = repl.NaN !== void 0 && type === T_NUMBER ? `${rv} === 'NaN' ? ${onlyStrEsc(repl.NaN)} : ` : "";
  let nullExpr = repl.null !== void 0 ? `${rv} === 'null' || ${rv} === 'NULL' ? ${onlyStrEsc(repl.null)} : ` : "";
  let emptyExpr = repl.empty !== void 0 ? `${rv} === '' ? ${onlyStrEsc(repl.empty)} : ` : "";
  return `${emptyExpr} ${nullExpr} ${nanExpr} ${parseExpr}`;
}
var segsRe = /\w+(?:\[|\]?[\.\[]?|$)/gm;
function genToTypedRow(cols, objs = false, deep = false) {
  let buf = "";
  if (objs && deep) {
    let tplObj = {};
    let colIdx = 0;
    let paths = cols.map((c) => c.name.replace(/\.(\d+)\.?/gi, "[$1]"));
    do {
      let path = paths.shift();
      let segs = /\s/.test(path) ? [path] : [...path.matchAll(segsRe)].flatMap((m) => m.map((m2) => m2.replace("]", "")));
      let node = tplObj;
      do {
        let seg = segs.shift();
        let key = seg;
        let endChar = seg.at(-1);
        let hasKids = endChar == "." || endChar == "[";
        if (hasKids) {
          key = seg.slice(0, -1);
          let nextNode = node[key] ?? (endChar == "." ? {} : []);
          node = node[key] = nextNode;
        } else
          node[key] = `\xA6${colIdx}\xA6`;
      } while (segs.length > 0);
      colIdx++;
    } while (paths.length > 0);
    buf = toJSON(tplObj).replace(/"¦(\d+)¦"/g, (m, ci) => getValParseExpr(+ci, cols[+ci]));
  } else {
    if (!objs && cols.every((c) => c.type === T_STRING))
      buf = "r";
    else {
      buf = objs ? "{" : "[";
      cols.forEach((col2, ci) => {
        buf += objs ? `${toJSON(col2.name)}:` : "";
        let parseVal = getValParseExpr(ci, col2);
        buf += `${parseVal},`;
      });
      buf += objs ? "}" : "]";
    }
  }
  return new Function("c", `return r => (${buf});`)(cols);
}
function inferSchema(csvStr, opts2, maxRows) {
  let {
    header: headerFn,
    col: colDelim,
    row: rowDelim,
    encl: colEncl,
    esc: escEncl,
    //	omit,  // #comments and empty lines (ignore:), needs callback for empty and comments?
    trim = false
  } = opts2 ?? {};
  headerFn ??= (firstRows2) => [firstRows2[0]];
  maxRows ??= 10;
  csvStr = stripBOM(csvStr);
  const rowRE = new RegExp(`(.*)(${rowDelim ?? "\r\n|\r|\n"})`);
  const firstRowMatch = csvStr.match(rowRE);
  const firstRowStr = firstRowMatch[1];
  rowDelim ??= firstRowMatch[2];
  colDelim ??= COL_DELIMS.find((delim) => firstRowStr.indexOf(delim) > -1) ?? comma;
  const schema = {
    skip: 1,
    // how many header rows to skip
    col: colDelim,
    row: rowDelim,
    encl: colEncl,
    esc: escEncl,
    trim,
    cols: []
  };
  const _maxCols = firstRowStr.split(colDelim).length;
  const firstRows = [];
  parse(csvStr, schema, 0, (row) => {
    firstRows.push(row);
    return firstRows.length < maxRows;
  }, true, _maxCols);
  let headerRows = headerFn(firstRows) ?? [];
  let skip = schema.skip = headerRows.length;
  let colNames = headerRows.find((row) => row != null) ?? [...Array(firstRows[0].length).keys()];
  firstRows.splice(0, skip);
  colNames.forEach((colName, colIdx) => {
    let type = guessType(colIdx, firstRows);
    let col2 = {
      name: colName,
      type,
      // this could be type-dependant (e.g. {empty: 0, null: 0, NaN: NaN} for numbers)
      repl: {
        empty: null,
        NaN: void 0,
        null: void 0
      }
    };
    schema.cols.push(col2);
  });
  return schema;
}
function initParser(schema) {
  let { skip, cols } = schema;
  let _toStr = null;
  let _toArr = null;
  let _toObj = null;
  let _toDeep = null;
  let _toObjS = null;
  let streamState = 0;
  let streamParse = null;
  let streamCb = null;
  let prevUnparsed = "";
  let buf = null;
  function reset() {
    streamState = 0;
    prevUnparsed = "";
    streamParse = streamCb = buf = null;
  }
  let accum = (row, buf2, add) => {
    add(buf2, row);
    return true;
  };
  let initRows = () => [];
  let initCols = () => cols.map((c) => []);
  let addRow = (buf2, row) => {
    buf2.push(row);
  };
  let addCol = (buf2, row) => {
    for (let i = 0; i < cols.length; i++)
      buf2[i].push(row[i]);
  };
  function gen(accInit, accAppend, genConvertRow) {
    let convertRow = null;
    return (csvStr, cb = accum) => {
      convertRow ??= genConvertRow();
      let _skip = buf == null ? skip : 0;
      buf ??= accInit();
      let out = buf;
      let withEOF = streamState === 0 || streamState === 2;
      let halted = false;
      if (Array.isArray(csvStr)) {
        for (let i = 0; i < csvStr.length; i++) {
          let row = csvStr[i];
          let res = cb(convertRow(row), out, accAppend);
          if (res === false) {
            halted = true;
            break;
          }
        }
      } else
        [prevUnparsed, halted] = parse(csvStr, schema, _skip, (row) => cb(convertRow(row), out, accAppend), withEOF);
      if (halted && streamState !== 0)
        reset();
      if (withEOF)
        buf = null;
      return out;
    };
  }
  const _toStrGen = () => {
    _toStr ??= (row) => row;
    return _toStr;
  };
  const _toArrGen = () => {
    _toArr ??= genToTypedRow(cols, false, false);
    return _toArr;
  };
  const stringArrs = gen(initRows, addRow, _toStrGen);
  const stringObjs = gen(initRows, addRow, () => {
    _toObjS ??= genToTypedRow(cols.map((col2) => ({
      ...col2,
      type: "s",
      repl: {
        ...col2.repl,
        empty: void 0
      }
    })), true, false);
    return _toObjS;
  });
  const typedArrs = gen(initRows, addRow, _toArrGen);
  const typedObjs = gen(initRows, addRow, () => {
    _toObj ??= genToTypedRow(cols, true, false);
    return _toObj;
  });
  const typedDeep = gen(initRows, addRow, () => {
    _toDeep ??= genToTypedRow(cols, true, true);
    return _toDeep;
  });
  const typedCols = gen(initCols, addCol, _toArrGen);
  const stringCols = gen(initCols, addCol, _toStrGen);
  return {
    schema,
    stringArrs,
    stringObjs,
    stringCols,
    typedArrs,
    typedObjs,
    typedDeep,
    typedCols,
    chunk(csvStr, parse2 = stringArrs, cb = accum) {
      streamParse ??= parse2;
      streamCb ??= cb;
      streamState = 1;
      streamParse(prevUnparsed + csvStr, streamCb);
    },
    end() {
      streamState = 2;
      let out = streamParse(prevUnparsed, streamCb);
      reset();
      return out;
    }
  };
}
function parse(csvStr, schema, skip = 0, each = () => true, withEOF = true, _maxCols) {
  csvStr = stripBOM(csvStr);
  let {
    row: rowDelim,
    col: colDelim,
    encl: colEncl,
    esc: escEncl,
    trim
  } = schema;
  colEncl ??= csvStr.indexOf(quote) > -1 ? quote : "";
  escEncl ??= colEncl;
  let replEsc = `${escEncl}${colEncl}`;
  let numCols = _maxCols ?? schema.cols.length;
  let _probe = _maxCols != null;
  let rowDelimLen = rowDelim.length;
  let colDelimLen = colDelim.length;
  let colEnclChar = colEncl.charCodeAt(0);
  let escEnclChar = escEncl.charCodeAt(0);
  let rowDelimChar = rowDelim.charCodeAt(0);
  let colDelimChar = colDelim.charCodeAt(0);
  let spaceChar = 32;
  let out = ["", false];
  let pos = 0;
  let endPos = csvStr.length - 1;
  let linePos = 0;
  let rowTpl = Array(numCols).fill("");
  let row = rowTpl.slice();
  let colIdx = 0;
  let lastColIdx = numCols - 1;
  let filledColIdx = -1;
  if (colEncl === "") {
    while (pos <= endPos) {
      if (colIdx === lastColIdx) {
        let pos2 = csvStr.indexOf(rowDelim, pos);
        if (pos2 === -1) {
          if (!withEOF)
            break;
          pos2 = endPos + 1;
        }
        let s = csvStr.slice(pos, pos2);
        row[colIdx] = trim ? s.trim() : s;
        if (--skip < 0) {
          if (each(row) === false) {
            out[1] = true;
            return out;
          }
        }
        row = rowTpl.slice();
        colIdx = 0;
        filledColIdx = -1;
        pos = pos2 + rowDelimLen;
        linePos = pos;
      } else {
        if (colIdx === 0 && csvStr.charCodeAt(pos) === rowDelimChar) {
          pos += rowDelimLen;
        } else {
          let pos2 = csvStr.indexOf(colDelim, pos);
          if (pos2 === -1) {
            if (!withEOF)
              break;
          }
          let s = csvStr.slice(pos, pos2);
          row[colIdx] = trim ? s.trim() : s;
          pos = pos2 + colDelimLen;
          filledColIdx = colIdx++;
        }
      }
    }
    if (--skip < 0 && withEOF && colIdx === lastColIdx && filledColIdx > -1)
      each(row);
    out[0] = !withEOF ? csvStr.slice(linePos) : "";
    return out;
  }
  const takeToCommaOrEOL = _probe ? new RegExp(`[^${colDelim}${rowDelim}]+`, "my") : null;
  let inCol = 0;
  let v = "";
  let c = 0;
  let pos0 = pos;
  while (pos <= endPos) {
    c = csvStr.charCodeAt(pos);
    if (inCol === 0) {
      if (c === colEnclChar) {
        inCol = 2;
        pos += 1;
        pos0 = pos;
        if (pos > endPos)
          break;
        c = csvStr.charCodeAt(pos);
      } else if (c === colDelimChar || c === rowDelimChar) {
        if (c === rowDelimChar && colIdx === 0) {
          pos += rowDelimLen;
          continue;
        }
        row[colIdx] = v;
        filledColIdx = colIdx;
        colIdx += 1;
        pos += 1;
        v = "";
        if (c === rowDelimChar) {
          if (_probe && filledColIdx < lastColIdx && linePos === 0) {
            row.length = rowTpl.length = filledColIdx + 1;
            lastColIdx = filledColIdx;
          }
          if (--skip < 0) {
            if (each(row) === false) {
              out[1] = true;
              return out;
            }
          }
          row = rowTpl.slice();
          colIdx = 0;
          filledColIdx = -1;
          pos += rowDelimLen - 1;
          linePos = pos;
        }
        if (pos > endPos)
          break;
      } else {
        if (trim && c === spaceChar) {
          while (c === spaceChar)
            c = csvStr.charCodeAt(++pos);
        } else
          inCol = 1;
      }
    }
    if (inCol === 2) {
      let shouldRep = false;
      let posTo = 0;
      while (true) {
        if (c === colEnclChar) {
          if (colEnclChar === escEnclChar) {
            if (pos + 1 > endPos) {
              posTo = pos;
              pos = endPos + 1;
              break;
            }
            let cNext = csvStr.charCodeAt(pos + 1);
            if (cNext === colEnclChar) {
              pos += 2;
              shouldRep = true;
              if (pos > endPos)
                break;
              c = csvStr.charCodeAt(pos);
            } else {
              inCol = 0;
              posTo = pos;
              pos += 1;
              break;
            }
          } else {
            let cPrev = csvStr.charCodeAt(pos - 1);
            if (cPrev === escEnclChar) {
              pos += 1;
              shouldRep = true;
              if (pos > endPos)
                break;
              c = csvStr.charCodeAt(pos);
            } else {
              inCol = 0;
              posTo = pos;
              pos += 1;
              break;
            }
          }
        } else {
          let pos2 = csvStr.indexOf(colEncl, pos);
          if (pos2 === -1) {
            pos = endPos + 1;
            break;
          }
          pos = pos2;
          c = colEnclChar;
        }
      }
      if (inCol === 0 || pos > endPos) {
        v = shouldRep ? csvStr.slice(pos0, posTo).replaceAll(replEsc, colEncl) : csvStr.slice(pos0, posTo);
      }
    } else if (inCol === 1) {
      if (c === colDelimChar || c === rowDelimChar) {
        if (c === rowDelimChar && colIdx === 0) {
          pos += rowDelimLen;
          continue;
        }
        row[colIdx] = v;
        filledColIdx = colIdx;
        colIdx += 1;
        pos += 1;
        v = "";
        if (c === rowDelimChar) {
          if (_probe && filledColIdx < lastColIdx && linePos === 0) {
            row.length = rowTpl.length = filledColIdx + 1;
            lastColIdx = filledColIdx;
          }
          if (--skip < 0) {
            if (each(row) === false) {
              out[1] = true;
              return out;
            }
          }
          row = rowTpl.slice();
          colIdx = 0;
          filledColIdx = -1;
          pos += rowDelimLen - 1;
          linePos = pos;
        }
        inCol = 0;
      } else {
        if (_probe) {
          takeToCommaOrEOL.lastIndex = pos;
          let m = takeToCommaOrEOL.exec(csvStr)[0];
          v = m;
          pos += m.length;
        } else {
          let pos2 = csvStr.indexOf(colIdx === lastColIdx ? rowDelim : colDelim, pos);
          if (pos2 === -1)
            pos2 = endPos + 1;
          let s = csvStr.slice(pos, pos2);
          v = trim ? s.trim() : s;
          pos = pos2;
        }
      }
    }
  }
  if (withEOF && colIdx === lastColIdx) {
    row[colIdx] = v;
    if (--skip < 0)
      each(row);
    inCol = 0;
  }
  let partial = !withEOF && (inCol !== 0 || (filledColIdx === -1 ? v !== "" : (
    // partial first col OR
    filledColIdx < lastColIdx
  )));
  out[0] = partial ? csvStr.slice(linePos) : "";
  return out;
}

// lambdas/domain/validation/decode.ts
var ZIP_SNIFF_BYTES = 64 * 1024;

// lambdas/domain/periods/period.ts
import { DateTime } from "luxon";
var PeriodError = class extends Error {
  name = "PeriodError";
};
function fromStart(type, start) {
  const end = type === "month" ? start.plus({ months: 1 }) : type === "quarter" ? start.plus({ months: 3 }) : start.plus({ weeks: 1 });
  const id = type === "month" ? start.toFormat("yyyy-MM") : type === "quarter" ? `${start.year}-Q${start.quarter}` : `${start.weekYear}-W${String(start.weekNumber).padStart(2, "0")}`;
  return { type, id, startDate: start.toISODate(), endDate: end.toISODate() };
}
function periodContaining(type, localDate) {
  const d = DateTime.fromISO(localDate, { zone: "utc" });
  if (!d.isValid) throw new PeriodError(`"${localDate}" is not a date`);
  const start = type === "month" ? d.startOf("month") : type === "quarter" ? d.startOf("quarter") : d.startOf("week");
  return fromStart(type, start);
}
function daysFromCivil(y, m, d) {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
var isoDateToDay = (date) => daysFromCivil(digits(date, 0, 4), digits(date, 5, 2), digits(date, 8, 2));
function digits(s, at, n) {
  let v = 0;
  for (let i = at; i < at + n; i++) v = v * 10 + (s.charCodeAt(i) - 48);
  return v;
}
var HOUR_S = 3600;
var offsetCaches = /* @__PURE__ */ new Map();
var UTC_ZONES = /* @__PURE__ */ new Set(["UTC", "Etc/UTC", "utc", "Z", "GMT", "Etc/GMT"]);
function offsetAt(timezone, epochSeconds) {
  const minutes = DateTime.fromMillis(epochSeconds * 1e3, { zone: timezone }).offset;
  return Number.isFinite(minutes) ? minutes * 60 : 0;
}
function zoneOffsetSeconds(timezone, epochSeconds) {
  if (UTC_ZONES.has(timezone)) return 0;
  let cache = offsetCaches.get(timezone);
  if (!cache) offsetCaches.set(timezone, cache = /* @__PURE__ */ new Map());
  const hour = Math.floor(epochSeconds / HOUR_S);
  let offset = cache.get(hour);
  if (offset === void 0) {
    const first = offsetAt(timezone, hour * HOUR_S);
    offset = first === offsetAt(timezone, hour * HOUR_S + HOUR_S - 1) ? first : Number.NaN;
    if (cache.size > 1e6) cache.clear();
    cache.set(hour, offset);
  }
  return Number.isNaN(offset) ? offsetAt(timezone, epochSeconds) : offset;
}
function localDayNumber(value, timezone) {
  const y = digits(value, 0, 4);
  const m = digits(value, 5, 2);
  if (value.length === 7) return daysFromCivil(y, m, 1);
  const day = daysFromCivil(y, m, digits(value, 8, 2));
  if (value.charCodeAt(value.length - 1) !== 90) return day;
  const seconds = day * 86400 + digits(value, 11, 2) * 3600 + digits(value, 14, 2) * 60 + (value.length >= 20 ? digits(value, 17, 2) : 0);
  return Math.floor((seconds + zoneOffsetSeconds(timezone, seconds)) / 86400);
}

// lambdas/domain/datasets/registry.ts
var col = (name, type, required, aliases, helper = false, requiredUnless) => ({ name, type, required, aliases, ...helper ? { helper } : {}, ...requiredUnless ? { requiredUnless } : {} });
var str = (v) => typeof v === "string" && v !== "" ? v : void 0;
var num = (v) => typeof v === "number" ? v : void 0;
var bool = (v) => typeof v === "boolean" ? v : void 0;
var before = (a, b, ctx) => ctx.before ? ctx.before(a, b) : ctx.localDay ? ctx.localDay(a) < ctx.localDay(b) : localDayNumber(a, ctx.settings.timezone) < localDayNumber(b, ctx.settings.timezone);
var salesSourcedCache = /* @__PURE__ */ new WeakMap();
var lastSettings;
var lastCache;
function isSalesSourced(source, settings) {
  let cache = settings === lastSettings ? lastCache : salesSourcedCache.get(settings);
  if (!cache) salesSourcedCache.set(settings, cache = /* @__PURE__ */ new Map());
  lastSettings = settings;
  lastCache = cache;
  let answer = cache.get(source);
  if (answer === void 0) {
    const s = source.toLowerCase();
    answer = settings.salesSourcedSources.some((needle) => s.includes(needle.toLowerCase()));
    if (cache.size > 1e4) cache.clear();
    cache.set(source, answer);
  }
  return answer;
}
var error = (code, column, message) => ({ code, column, message, severity: "error" });
var leads = {
  name: "leads",
  rowIs: "a lead / contact and the dates it reached each funnel stage",
  columns: [
    col("lead_id", "text", true, ["Record ID", "Contact ID", "Lead ID", "Id"]),
    col("created_at", "datetime", true, ["Create Date", "Created Date", "Became a Lead Date"]),
    col("source", "text", true, ["Original Source", "Original Source Type", "Lead Source", "Source", "Channel"]),
    col("campaign", "text", false, ["Campaign", "Original Source Drill-Down 1"]),
    col("mql_at", "datetime", false, ["Became a Marketing Qualified Lead Date", "MQL Date"]),
    col("sql_at", "datetime", false, ["Became a Sales Qualified Lead Date", "SQL Date"]),
    col("sql_status", "sql-status", false, ["SQL Status", "Sales Acceptance"]),
    col("customer_at", "datetime", false, ["Became a Customer Date", "Converted Date"]),
    col("marketing_sourced", "boolean", false, ["Marketing Sourced"])
  ],
  keyColumns: ["lead_id"],
  idColumn: "lead_id",
  uniqueKey: ["lead_id"],
  keyOf: (r) => r.lead_id,
  build(c, ctx, issues) {
    const { settings } = ctx;
    const created = str(c.created_at);
    const lead_id = str(c.lead_id);
    if (!lead_id || !created) return void 0;
    const mql = str(c.mql_at);
    const sql = str(c.sql_at);
    const customer = str(c.customer_at);
    const notBeforeCreated = (name, v) => {
      if (v && before(v, created, ctx)) issues.push(error("date-order", name, `${name} is before created_at (${created.slice(0, 10)})`));
    };
    notBeforeCreated("mql_at", mql);
    notBeforeCreated("sql_at", sql);
    notBeforeCreated("customer_at", customer);
    if (mql && sql && before(sql, mql, ctx)) issues.push(error("date-order", "sql_at", `sql_at is before mql_at (${mql.slice(0, 10)})`));
    const status = str(c.sql_status);
    if (status && !sql) issues.push(error("missing-value", "sql_at", "sql_status is set but sql_at is blank"));
    const source = str(c.source) ?? "unknown";
    const record = {
      lead_id,
      created_at: created,
      source,
      marketing_sourced: bool(c.marketing_sourced) ?? !isSalesSourced(source, settings)
    };
    const campaign = str(c.campaign);
    if (campaign) record.campaign = campaign;
    if (mql) record.mql_at = mql;
    if (sql) record.sql_at = sql;
    if (status) record.sql_status = status;
    if (customer) record.customer_at = customer;
    return record;
  }
};
function opportunityStatus(c) {
  const closed = bool(c.closed_flag);
  const won = bool(c.won_flag);
  if (closed === false) return "open";
  if (closed === true && won !== void 0) return won ? "won" : "lost";
  const stage = str(c.status)?.toLowerCase().replace(/[^a-z]/g, "");
  if (stage === void 0) return void 0;
  if (stage === "closedwon" || stage === "won") return "won";
  if (stage === "closedlost" || stage === "lost") return "lost";
  return "open";
}
var opportunities = {
  name: "opportunities",
  rowIs: "a deal / opportunity",
  columns: [
    col("opportunity_id", "text", true, ["Record ID", "Deal ID", "Opportunity ID", "Id"]),
    col("created_at", "datetime", true, ["Create Date", "Created Date"]),
    col("status", "text", true, ["Deal Stage", "Stage", "Status"], false, ["closed_flag", "won_flag"]),
    col("closed_at", "date", false, ["Close Date", "Closed Date"]),
    col("amount", "money", true, ["Amount", "Amount in company currency", "Total Amount"]),
    col("source", "text", false, ["Lead Source", "Original Source Type", "Original Source", "Source"]),
    col("lead_id", "text", false, ["Lead ID", "Associated Contact IDs"]),
    col("marketing_sourced", "boolean", false, ["Marketing Sourced"]),
    col("closed_flag", "boolean", false, ["Closed"], true),
    col("won_flag", "boolean", false, ["Won"], true)
  ],
  keyColumns: ["opportunity_id"],
  idColumn: "opportunity_id",
  uniqueKey: ["opportunity_id"],
  keyOf: (r) => r.opportunity_id,
  futureDateExempt: (c) => opportunityStatus(c) === "open" ? ["closed_at"] : [],
  build(c, ctx, issues) {
    const { settings } = ctx;
    const id = str(c.opportunity_id);
    const created = str(c.created_at);
    const amount = num(c.amount);
    const status = opportunityStatus(c);
    if (status === void 0) issues.push(error("missing-value", "status", "status is blank (no stage, no Closed/Won flags)"));
    if (!id || !created || amount === void 0 || status === void 0) return void 0;
    const closed = str(c.closed_at);
    if (status !== "open") {
      if (!closed) issues.push(error("missing-value", "closed_at", `closed_at is required for a ${status} opportunity`));
      else if (before(closed, created, ctx)) issues.push(error("date-order", "closed_at", `closed_at is before created_at (${created.slice(0, 10)})`));
    }
    const source = str(c.source);
    const record = {
      opportunity_id: id,
      created_at: created,
      status,
      amount_minor: amount,
      marketing_sourced: bool(c.marketing_sourced) ?? (source ? !isSalesSourced(source, settings) : false)
    };
    if (status !== "open" && closed) record.closed_at = closed;
    if (source) record.source = source;
    const leadId = str(c.lead_id);
    if (leadId) record.lead_id = leadId;
    return record;
  }
};
var spend = {
  name: "spend",
  rowIs: "money spent on a day (or a month) on a channel / campaign",
  columns: [
    col("date", "day-or-month", true, ["Day", "Date", "Month", "Reporting starts"]),
    col("amount", "money", true, ["Cost", "Spend", "Amount", "Amount spent"]),
    col("channel", "text", false, ["Channel", "Source"]),
    col("campaign", "text", false, ["Campaign", "Campaign name"]),
    col("category", "text", false, ["Category"]),
    col("currency", "currency", false, ["Currency", "Currency code"]),
    col("date_end", "date", false, ["Reporting ends"], true)
  ],
  keyColumns: ["date"],
  uniqueKey: ["date", "channel", "campaign", "category"],
  keyOf: (r) => `${r.date}|${r.channel.toLowerCase()}|${r.campaign.toLowerCase()}|${r.category}`,
  build(c, ctx, issues) {
    const date = str(c.date);
    const amount = num(c.amount);
    if (!date || amount === void 0) return void 0;
    const end = str(c.date_end);
    if (end) {
      const start = date.length === 7 ? `${date}-01` : date;
      if (end < start) {
        issues.push(error("date-order", "date_end", `the row ends (${end}) before it starts (${start})`));
      } else {
        const type = ctx.settings.periodType;
        const first = periodContaining(type, start);
        const last = periodContaining(type, end);
        if (first.id !== last.id) {
          issues.push(error(
            "constraint-error",
            "date_end",
            `the row covers ${start} to ${end}, which spans two reporting ${type}s (${first.id} and ${last.id}): export with a daily breakdown`
          ));
        }
      }
    }
    const categoryRaw = (str(c.category) ?? "marketing").toLowerCase();
    if (categoryRaw !== "marketing" && categoryRaw !== "sales") {
      issues.push(error("constraint-error", "category", `category must be marketing or sales, got "${str(c.category)}"`));
    }
    const record = {
      date,
      amount_minor: amount,
      channel: str(c.channel) ?? "unspecified",
      campaign: str(c.campaign) ?? "",
      category: categoryRaw === "sales" ? "sales" : "marketing"
    };
    return record;
  }
};
var customers = {
  name: "customers",
  rowIs: "a paying customer account",
  columns: [
    col("customer_id", "text", true, ["Record ID", "Account ID", "Customer ID", "Company ID"]),
    col("started_at", "date", true, ["Became a Customer Date", "Customer Since", "Start Date"]),
    col("churned_at", "date", false, ["Churn Date", "Churned At", "Cancellation Date"]),
    col("mrr", "money", false, ["MRR", "Monthly Revenue"]),
    col("marketing_sourced", "boolean", false, ["Marketing Sourced"])
  ],
  keyColumns: ["customer_id"],
  idColumn: "customer_id",
  uniqueKey: ["customer_id"],
  keyOf: (r) => r.customer_id,
  build(c, ctx, issues) {
    const id = str(c.customer_id);
    const started = str(c.started_at);
    if (!id || !started) return void 0;
    const churned = str(c.churned_at);
    if (churned && before(churned, started, ctx)) issues.push(error("date-order", "churned_at", `churned_at is before started_at (${started})`));
    const record = { customer_id: id, started_at: started };
    if (churned) record.churned_at = churned;
    const mrr = num(c.mrr);
    if (mrr !== void 0) record.mrr_minor = mrr;
    const ms = bool(c.marketing_sourced);
    if (ms !== void 0) record.marketing_sourced = ms;
    return record;
  }
};
var webTraffic = {
  name: "web_traffic",
  rowIs: "website sessions on a day, optionally per channel",
  columns: [
    col("date", "date", true, ["Date", "Day"]),
    col("sessions", "integer", true, ["Sessions"]),
    col("channel", "text", false, ["Session primary channel group", "Session default channel group", "Channel"]),
    col("engaged_sessions", "integer", false, ["Engaged sessions"]),
    col("bounce_rate", "percent", false, ["Bounce rate"]),
    col("conversions", "integer", false, ["Key events", "Conversions"])
  ],
  keyColumns: ["date"],
  uniqueKey: ["date", "channel"],
  keyOf: (r) => `${r.date}|${r.channel.toLowerCase()}`,
  build(c, _ctx, issues) {
    const date = str(c.date);
    const sessions = num(c.sessions);
    if (!date || sessions === void 0) return void 0;
    const engaged = num(c.engaged_sessions);
    if (engaged !== void 0 && engaged > sessions) {
      issues.push(error("constraint-error", "engaged_sessions", `engaged_sessions (${engaged}) is more than sessions (${sessions})`));
    }
    const record = { date, channel: str(c.channel) ?? "all", sessions };
    if (engaged !== void 0) record.engaged_sessions = engaged;
    const bounce = num(c.bounce_rate);
    if (bounce !== void 0) record.bounce_rate = bounce;
    else if (engaged !== void 0 && sessions > 0) record.bounce_rate = 1 - engaged / sessions;
    const conversions = num(c.conversions);
    if (conversions !== void 0) record.conversions = conversions;
    return record;
  }
};
var DATASETS = {
  leads,
  opportunities,
  spend,
  customers,
  web_traffic: webTraffic
};
var normalizeHeader = (h) => h.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");

// lambdas/domain/validation/header.ts
var PAREN_SUFFIX = /^(.*?)\s*\(([^()]*)\)\s*$/;
var CURRENCY_CODE = /^[A-Za-z]{3}$/;
function mapHeader(cells, spec) {
  const exact = /* @__PURE__ */ new Map();
  const stripped = /* @__PURE__ */ new Map();
  const add = (m, key, hit) => {
    if (!key) return;
    const list = m.get(key);
    if (list) list.push(hit);
    else m.set(key, [hit]);
  };
  cells.forEach((raw, i) => {
    add(exact, normalizeHeader(raw), { i, header: raw });
    const paren = PAREN_SUFFIX.exec(raw);
    if (paren) {
      const inner = (paren[2] ?? "").trim();
      add(stripped, normalizeHeader(paren[1] ?? ""), { i, header: raw, ...CURRENCY_CODE.test(inner) ? { currency: inner.toUpperCase() } : {} });
    }
  });
  const index = {};
  const headers = {};
  const headerCurrency = {};
  const missing = [];
  const duplicates = [];
  const taken = /* @__PURE__ */ new Set();
  for (const column of spec.columns) {
    const candidates = [column.name, ...column.aliases].map(normalizeHeader);
    let found = false;
    for (const key of candidates) {
      let hits = (exact.get(key) ?? []).filter((h) => !taken.has(h.i));
      if (hits.length === 0) hits = (stripped.get(key) ?? []).filter((h) => !taken.has(h.i));
      if (hits.length === 0) continue;
      const hit = hits[0];
      if (hits.length > 1) duplicates.push({ column: column.name, headers: hits.map((h) => h.header) });
      index[column.name] = hit.i;
      headers[column.name] = hit.header;
      if (hit.currency && column.type === "money") headerCurrency[column.name] = hit.currency;
      taken.add(hit.i);
      found = true;
      break;
    }
    if (!found && column.required) missing.push(column.name);
  }
  const stillMissing = missing.filter((name) => {
    const unless = spec.columns.find((c) => c.name === name)?.requiredUnless;
    return !(unless && unless.length > 0 && unless.every((other) => index[other] !== void 0));
  });
  return { index, headers, headerCurrency, missing: stillMissing, duplicates };
}

// lambdas/domain/validation/csv-reader.ts
var MAX_RECORD_CHARS = 1e6;
var CsvReadError = class extends Error {
  constructor(code, message, row, line) {
    super(message);
    this.code = code;
    this.row = row;
    this.line = line;
  }
  code;
  row;
  line;
  name = "CsvReadError";
};
var LF = 10;
var CR = 13;
var QUOTE = 34;
var FAR = Number.MAX_SAFE_INTEGER;
var CsvParser = class {
  delim;
  delimCode;
  maxRecordChars;
  carry = "";
  /** Line break searched for: '\n' (LF and CRLF files) or '\r' (CR-only files); decided by the first one seen. */
  nl;
  nlCode = LF;
  /** Physical line where `carry` starts. */
  line;
  row;
  constructor(opts2) {
    if (opts2.delimiter.length !== 1) throw new Error("the delimiter must be one character");
    this.delim = opts2.delimiter;
    this.delimCode = opts2.delimiter.charCodeAt(0);
    this.maxRecordChars = opts2.maxRecordChars ?? MAX_RECORD_CHARS;
    this.line = opts2.firstLine ?? 1;
    this.row = (opts2.firstRow ?? 1) - 1;
  }
  /**
   * Columns whose text the caller never reads (a CSV export's columns the dataset does not know): their cells
   * are not copied out of the text. Such a cell reads as '' when empty and as `SKIPPED_CELL` otherwise, so that
   * blank-row and extra-cell checks still see whether it was filled.
   */
  skip;
  /** The number the next record will get. */
  get nextRow() {
    return this.row + 1;
  }
  /** Physical line where the text not yet consumed starts, and the line of character `offset` in it. */
  lineAt(offset = 0) {
    return this.line + lineBreaksBefore(this.carry, Math.min(offset, this.carry.length));
  }
  /** Characters received but not yet part of a record (an incomplete last record). */
  get pending() {
    return this.carry.length;
  }
  /** Parses every complete record of the text so far. */
  push(text2, onRow) {
    const s = this.carry.length ? this.carry + text2 : text2;
    const pos = this.parse(s, false, onRow);
    this.carry = pos >= s.length ? "" : s.slice(pos);
    if (this.carry.length > this.maxRecordChars) {
      throw new CsvReadError(
        "row-too-large",
        `a record is longer than ${this.maxRecordChars.toLocaleString("en-US")} characters (often an unclosed quote); reading stopped here`,
        this.row + 1,
        this.line
      );
    }
  }
  /** Parses the last record (the text need not end with a line break); throws on an unclosed quote. */
  end(onRow) {
    const s = this.carry;
    this.carry = "";
    if (s.length) this.parse(s, true, onRow);
  }
  detectLineBreak(s, from) {
    if (this.nl) return;
    const lf = s.indexOf("\n", from);
    const cr = s.indexOf("\r", from);
    if (lf < 0 && cr < 0) return;
    this.nl = cr >= 0 && (lf < 0 || cr < lf - 1) ? "\r" : "\n";
    this.nlCode = this.nl === "\n" ? LF : CR;
  }
  /**
   * Returns the offset of the first character not consumed. Hot loop: state lives in locals and is written
   * back once; each field costs one cached `indexOf` for the delimiter (or the closing quote) and one slice.
   */
  parse(s, eof, onRow) {
    const len = s.length;
    const D = this.delimCode;
    const delim = this.delim;
    const max = this.maxRecordChars;
    const skip = this.skip;
    this.detectLineBreak(s, 0);
    const nl = this.nl ?? "\n";
    const crMode = this.nlCode === CR;
    let row = this.row;
    let line = this.line;
    let pos = 0;
    let nextNl = -1;
    let nextQ = -1;
    let nextD = -1;
    try {
      while (pos < len) {
        const c0 = s.charCodeAt(pos);
        if (c0 === LF || c0 === CR) {
          if (c0 === CR && pos + 1 >= len && !eof && !crMode) break;
          pos += c0 === CR && s.charCodeAt(pos + 1) === LF ? 2 : 1;
          line++;
          continue;
        }
        if (nextNl < pos) {
          nextNl = s.indexOf(nl, pos);
          if (nextNl < 0) nextNl = FAR;
        }
        if (nextNl === FAR && !eof) break;
        const lineEnd = nextNl === FAR ? len : nextNl;
        if (lineEnd - pos > max) {
          this.row = row;
          this.line = line;
          this.tooLarge();
        }
        if (nextQ < pos) {
          nextQ = s.indexOf('"', pos);
          if (nextQ < 0) nextQ = FAR;
        }
        const cells = [];
        let p = pos;
        if (nextQ >= lineEnd) {
          let end = lineEnd;
          if (!crMode && end > pos && s.charCodeAt(end - 1) === CR) end--;
          for (; ; ) {
            if (nextD < p) {
              nextD = s.indexOf(delim, p);
              if (nextD < 0) nextD = FAR;
            }
            const e = nextD >= end ? end : nextD;
            cells.push(skip !== void 0 && skip[cells.length] === 1 ? skippedCell(s, p, e) : s.slice(p, e));
            if (e === end) break;
            p = e + 1;
          }
          onRow(cells, ++row, line);
          line++;
          pos = lineEnd + 1;
          continue;
        }
        const startLine = line;
        let extraLines = 0;
        let complete = false;
        for (; ; ) {
          if (p < len && s.charCodeAt(p) === QUOTE) {
            let q = p + 1;
            let escaped = false;
            let close = -1;
            for (; ; ) {
              const k = s.indexOf('"', q);
              if (k < 0) break;
              if (k + 1 < len) {
                if (s.charCodeAt(k + 1) === QUOTE) {
                  escaped = true;
                  q = k + 2;
                  continue;
                }
              } else if (!eof) break;
              close = k;
              break;
            }
            if (close < 0) {
              if (!eof) break;
              throw new CsvReadError(
                "not-tabular",
                'the file cannot be read as CSV: a quoted field is never closed (a " is missing)',
                row + 1,
                startLine
              );
            }
            let v = s.slice(p + 1, close);
            if (escaped) v = v.replaceAll('""', '"');
            if (close > nextNl) {
              extraLines += lineBreaksIn(v);
              nextNl = s.indexOf(nl, close);
              if (nextNl < 0) nextNl = FAR;
            } else if (v.indexOf(crMode ? "\n" : "\r") >= 0) extraLines += lineBreaksIn(v);
            p = close + 1;
            const after = p < len ? s.charCodeAt(p) : -1;
            if (after === D) {
              cells.push(v);
              p++;
              continue;
            }
            if (after === LF || after === CR) {
              if (after === CR && p + 1 >= len && !eof && !crMode) break;
              cells.push(v);
              p += after === CR && s.charCodeAt(p + 1) === LF ? 2 : 1;
              complete = true;
              break;
            }
            if (after === -1) {
              if (!eof) break;
              cells.push(v);
              complete = true;
              break;
            }
            throw new CsvReadError(
              "not-tabular",
              `the file cannot be read as CSV: a quoted field is followed by "${s.slice(p, p + 10)}" instead of a delimiter or a line end`,
              row + 1,
              startLine + extraLines
            );
          }
          if (nextD < p) {
            nextD = s.indexOf(delim, p);
            if (nextD < 0) nextD = FAR;
          }
          if (nextD < nextNl) {
            cells.push(skip !== void 0 && skip[cells.length] === 1 ? skippedCell(s, p, nextD) : s.slice(p, nextD));
            p = nextD + 1;
            continue;
          }
          if (nextNl === FAR) {
            if (!eof) break;
            cells.push(s.slice(p, len));
            p = len;
            complete = true;
            break;
          }
          let end = nextNl;
          if (!crMode && end > p && s.charCodeAt(end - 1) === CR) end--;
          cells.push(skip !== void 0 && skip[cells.length] === 1 ? skippedCell(s, p, end) : s.slice(p, end));
          p = nextNl + 1;
          complete = true;
          break;
        }
        if (!complete) break;
        if (p - pos > max) {
          this.row = row;
          this.line = line;
          this.tooLarge();
        }
        onRow(cells, ++row, startLine);
        line = startLine + extraLines + 1;
        pos = p;
      }
    } finally {
      this.row = row;
      this.line = line;
    }
    return pos;
  }
  tooLarge() {
    throw new CsvReadError(
      "row-too-large",
      `a record is longer than ${this.maxRecordChars.toLocaleString("en-US")} characters (often an unclosed quote); reading stopped here`,
      this.row + 1,
      this.line
    );
  }
};
var SKIPPED_CELL = "";
function skippedCell(s, from, to) {
  if (from >= to) return "";
  return s.charCodeAt(from) > 32 && s.charCodeAt(to - 1) > 32 ? SKIPPED_CELL : s.slice(from, to);
}
function lineBreaksIn(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === LF || c === CR && s.charCodeAt(i + 1) !== LF) n++;
  }
  return n;
}
function lineBreaksBefore(s, offset) {
  let n = 0;
  for (let i = 0; i < offset; i++) {
    const c = s.charCodeAt(i);
    if (c === LF || c === CR && s.charCodeAt(i + 1) !== LF) n++;
  }
  return n;
}

// lambdas/domain/settings.ts
var DEFAULT_SALES_SOURCED = ["outbound", "sales", "prospecting", "sdr", "bdr", "sales generated"];
var DEFAULT_SETTINGS = {
  timezone: "UTC",
  currency: "USD",
  dateOrder: "MDY",
  periodType: "month",
  businessModel: "b2b",
  salesSourcedSources: DEFAULT_SALES_SOURCED,
  sender: "scorecard@example.com",
  recipients: ["executives@example.com"],
  opsEmail: "ops@example.com",
  targets: {},
  clvLifespanCapMonths: 60
};

// lambdas/domain/validation/validate-export.ts
import { DateTime as DateTime2 } from "luxon";

// lambdas/domain/validation/id-set.ts
var PAGE_BYTES = 1 << 20;
var LONG_ID = 4096;
var CompactIdSet = class {
  slots;
  // entry index + 1 per slot; 0 = empty
  mask;
  hashes = new Int32Array(1024);
  starts = new Uint32Array(1024);
  // byte position of each entry's encoding in the pages
  lengths = new Uint32Array(1024);
  // encoded length in bytes
  rows = new Uint32Array(1024);
  count = 0;
  pages = [];
  page = new Uint8Array(0);
  pageUsed = 0;
  long = /* @__PURE__ */ new Map();
  constructor(expected = 1024) {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    this.slots = new Int32Array(cap);
    this.mask = cap - 1;
  }
  /** Ids held. */
  get size() {
    return this.count + this.long.size;
  }
  /** Bytes held in typed arrays (for tests and benchmarks). */
  get bytes() {
    return this.slots.byteLength + this.hashes.byteLength + this.starts.byteLength + this.lengths.byteLength + this.rows.byteLength + this.pages.length * PAGE_BYTES;
  }
  /**
   * Adds `id`, first seen on `row`. Returns 0 when it is new, or the row it was first seen on (rows start at
   * 1, so 0 never is one).
   */
  add(id, row) {
    const n = id.length;
    if (n > LONG_ID) {
      const seen = this.long.get(id);
      if (seen !== void 0) return seen;
      this.long.set(id, row);
      return 0;
    }
    let h = 2166136261 | 0;
    let latin1 = true;
    for (let i2 = 0; i2 < n; i2++) {
      const c = id.charCodeAt(i2);
      if (c > 254) latin1 = false;
      h = Math.imul(h ^ c, 16777619);
    }
    h ^= h >>> 16;
    h = Math.imul(h, 2246822507);
    h ^= h >>> 13;
    h = Math.imul(h, 3266489909);
    h ^= h >>> 16;
    const encodedLength = latin1 ? n : encodedSize(id);
    const slots = this.slots;
    const mask = this.mask;
    let i = h & mask;
    for (; ; ) {
      const e = slots[i];
      if (e === 0) break;
      const k2 = e - 1;
      if (this.hashes[k2] === h && this.lengths[k2] === encodedLength && this.equals(k2, id)) return this.rows[k2];
      i = i + 1 & mask;
    }
    const k = this.append(id, encodedLength, latin1, h, row);
    slots[i] = k + 1;
    if (this.count * 2 > mask) this.grow();
    return 0;
  }
  append(id, length, latin1, h, row) {
    if (this.count === this.hashes.length) {
      const cap = this.count * 2;
      this.hashes = grown(this.hashes, new Int32Array(cap));
      this.starts = grown(this.starts, new Uint32Array(cap));
      this.lengths = grown(this.lengths, new Uint32Array(cap));
      this.rows = grown(this.rows, new Uint32Array(cap));
    }
    if (this.pageUsed + length > this.page.length) {
      this.page = new Uint8Array(Math.max(PAGE_BYTES, length));
      this.pages.push(this.page);
      this.pageUsed = 0;
    }
    const page = this.page;
    let p = this.pageUsed;
    const start = (this.pages.length - 1) * PAGE_BYTES + p;
    if (latin1) {
      for (let i = 0; i < id.length; i++) page[p++] = id.charCodeAt(i);
    } else {
      for (let i = 0; i < id.length; i++) {
        const c = id.charCodeAt(i);
        if (c <= 254) page[p++] = c;
        else {
          page[p++] = 255;
          page[p++] = c >>> 8;
          page[p++] = c & 255;
        }
      }
    }
    this.pageUsed = p;
    const k = this.count++;
    this.hashes[k] = h;
    this.starts[k] = start;
    this.lengths[k] = length;
    this.rows[k] = row;
    return k;
  }
  equals(k, id) {
    const start = this.starts[k];
    const page = this.pages[Math.floor(start / PAGE_BYTES)];
    let p = start % PAGE_BYTES;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      if (c <= 254) {
        if (page[p++] !== c) return false;
      } else if (page[p] !== 255 || page[p + 1] !== c >>> 8 || page[p + 2] !== (c & 255)) return false;
      else p += 3;
    }
    return true;
  }
  grow() {
    const cap = this.slots.length * 2;
    const slots = new Int32Array(cap);
    const mask = cap - 1;
    for (let k = 0; k < this.count; k++) {
      let i = this.hashes[k] & mask;
      while (slots[i] !== 0) i = i + 1 & mask;
      slots[i] = k + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
};
function encodedSize(id) {
  let n = 0;
  for (let i = 0; i < id.length; i++) n += id.charCodeAt(i) <= 254 ? 1 : 3;
  return n;
}
function grown(from, to) {
  to.set(from);
  return to;
}

// lambdas/domain/validation/report.ts
var ISSUES_KEPT_PER_CODE = 100;
var IssueLog = class {
  counts = {};
  kept = [];
  all = 0;
  add(issue) {
    const n = (this.counts[issue.code] ?? 0) + 1;
    this.counts[issue.code] = n;
    this.all++;
    if (n <= ISSUES_KEPT_PER_CODE) this.kept.push(issue.value === void 0 ? issue : { ...issue, value: detach(issue.value) });
  }
  get total() {
    return this.all;
  }
};
var detach = (s) => s.length > 200 ? `${s.slice(0, 197)}\u2026` : Buffer.from(s, "utf8").toString("utf8");

// lambdas/domain/validation/values.ts
var ok = (value) => ({ ok: true, value });
var typeError = (problem) => ({ ok: false, code: "type-error", problem });
var constraintError = (problem) => ({ ok: false, code: "constraint-error", problem });
var pad2 = (n) => n < 10 ? `0${n}` : String(n);
var MONTH_DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function daysInMonth(y, m) {
  return m === 2 ? y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28 : MONTH_DAYS[m] ?? 31;
}
function isValidDate(y, m, d) {
  return y >= 1900 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}
var isoDate = (y, m, d) => `${y}-${pad2(m)}-${pad2(d)}`;
function digitsAt(s, at, n) {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}
function fastIsoDate(s, dateOnly) {
  const n = s.length;
  if (n !== 10 && n !== 16 && n !== 19 && n !== 20) return void 0;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return void 0;
  const y0 = s.charCodeAt(0) - 48, y1 = s.charCodeAt(1) - 48, y2 = s.charCodeAt(2) - 48, y3 = s.charCodeAt(3) - 48;
  const m0 = s.charCodeAt(5) - 48, m1 = s.charCodeAt(6) - 48, d0 = s.charCodeAt(8) - 48, d1 = s.charCodeAt(9) - 48;
  if (y0 >>> 0 > 9 || y1 >>> 0 > 9 || y2 >>> 0 > 9 || y3 >>> 0 > 9 || m0 >>> 0 > 1 || m1 >>> 0 > 9 || d0 >>> 0 > 3 || d1 >>> 0 > 9) {
    return void 0;
  }
  const y = y0 * 1e3 + y1 * 100 + y2 * 10 + y3;
  const mo = m0 * 10 + m1;
  const d = d0 * 10 + d1;
  if (y < 1900 || y > 2999 || mo < 1 || mo > 12 || d < 1 || d > (mo === 2 ? daysInMonth(y, 2) : MONTH_DAYS[mo])) return void 0;
  if (n === 10) return s;
  const sep = s.charCodeAt(10);
  if (sep !== 84 && sep !== 32 || s.charCodeAt(13) !== 58) return void 0;
  const h0 = s.charCodeAt(11) - 48, h1 = s.charCodeAt(12) - 48, i0 = s.charCodeAt(14) - 48, i1 = s.charCodeAt(15) - 48;
  if (h0 >>> 0 > 2 || h1 >>> 0 > 9 || i0 >>> 0 > 5 || i1 >>> 0 > 9 || h0 * 10 + h1 > 23) return void 0;
  if (n >= 19) {
    const s0 = s.charCodeAt(17) - 48, s1 = s.charCodeAt(18) - 48;
    if (s.charCodeAt(16) !== 58 || s0 >>> 0 > 5 || s1 >>> 0 > 9) return void 0;
    if (n === 20 && s.charCodeAt(19) !== 90) return void 0;
  }
  if (dateOnly) return s.slice(0, 10);
  if (sep === 84 && n >= 19) return s;
  return n === 16 ? `${s.slice(0, 10)}T${s.slice(11, 16)}:00` : `${s.slice(0, 10)}T${s.slice(11, 19)}${n === 20 ? "Z" : ""}`;
}
function fastMoneyMinor(s) {
  const n = s.length;
  if (n === 0 || n > 15) return -1;
  let v = 0;
  let i = 0;
  for (; i < n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
  }
  if (i === 0) return -1;
  if (i === n) return v * 100;
  if (s.charCodeAt(i) !== 46 || n - i - 1 < 1 || n - i - 1 > 2) return -1;
  const d1 = s.charCodeAt(i + 1) - 48;
  const d2 = n - i - 1 === 2 ? s.charCodeAt(i + 2) - 48 : 0;
  if (d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return -1;
  return v * 100 + d1 * 10 + d2;
}
function fastInteger(s) {
  const n = s.length;
  if (n === 0 || n > 15) return -1;
  return digitsAt(s, 0, n);
}
var ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|z|UTC|[+-]\d{2}:?\d{2})?)?$/;
var COMPACT_RE = /^(\d{4})(\d{2})(\d{2})$/;
var SLASH_RE = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$/;
var MONTH_RE = /^(\d{4})-(\d{2})$/;
function withTime(y, m, d, hh, mm, ss, offset) {
  if (hh > 23 || mm > 59 || ss > 59) return typeError("is not a valid time of day");
  if (offset === void 0) return ok(`${isoDate(y, m, d)}T${pad2(hh)}:${pad2(mm)}:${pad2(ss)}`);
  let offsetMinutes = 0;
  if (!/^(z|utc)$/i.test(offset)) {
    const sign = offset.startsWith("-") ? -1 : 1;
    const digits2 = offset.slice(1).replace(":", "");
    offsetMinutes = sign * (Number(digits2.slice(0, 2)) * 60 + Number(digits2.slice(2)));
  }
  const t = new Date(Date.UTC(y, m - 1, d, hh, mm, ss) - offsetMinutes * 6e4);
  return ok(t.toISOString().slice(0, 19) + "Z");
}
function parseDateValue(raw, dateOrder, opts2 = {}) {
  const s = raw.trim();
  const fast = fastIsoDate(s, opts2.dateOnly === true);
  if (fast !== void 0) return ok(fast);
  let m = ISO_RE.exec(s);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!isValidDate(y, mo, d)) return typeError("is not a calendar date");
    if (m[4] === void 0 || opts2.dateOnly) return ok(isoDate(y, mo, d));
    return withTime(y, mo, d, Number(m[4]), Number(m[5]), Number(m[6] ?? 0), m[8]);
  }
  m = COMPACT_RE.exec(s);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!isValidDate(y, mo, d)) return typeError("is not a calendar date");
    return ok(isoDate(y, mo, d));
  }
  m = SLASH_RE.exec(s);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    const y = Number(m[3]);
    const [mo, d] = dateOrder === "MDY" ? [a, b] : [b, a];
    if (mo > 12 && d <= 12) {
      const other = dateOrder === "MDY" ? "D/M/YYYY" : "M/D/YYYY";
      return typeError(`has no month ${mo}: the file's slash dates look like ${other}; set the date order to ${dateOrder === "MDY" ? "DMY" : "MDY"}`);
    }
    if (!isValidDate(y, mo, d)) return typeError("is not a calendar date");
    if (m[4] === void 0 || opts2.dateOnly) return ok(isoDate(y, mo, d));
    let hh = Number(m[4]);
    const ampm = m[7]?.toLowerCase();
    if (ampm) {
      if (hh < 1 || hh > 12) return typeError("is not a valid 12-hour time");
      hh = hh % 12 + (ampm === "pm" ? 12 : 0);
    }
    return withTime(y, mo, d, hh, Number(m[5]), Number(m[6] ?? 0), void 0);
  }
  if (opts2.allowMonth) {
    m = MONTH_RE.exec(s);
    if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) return ok(`${m[1]}-${m[2]}`);
  }
  return typeError(
    `is not a date (expected YYYY-MM-DD, YYYY-MM-DD HH:mm, YYYYMMDD or ${dateOrder === "MDY" ? "M/D/YYYY" : "D/M/YYYY"})`
  );
}
var MONEY_RE = /^([A-Z]{3})?\s*([-−]?)\s*([$€£¥])?\s*([-−]?)([\d.,' ]*\d(?:[.,]\d+)?)\s*([A-Z]{3})?$/;
function parseMoney(raw, opts2 = {}) {
  const s = raw.trim();
  const m = MONEY_RE.exec(s);
  if (!m) return typeError("is not an amount of money");
  const negative = m[2] !== "" || m[4] !== "";
  const currency = m[1] ?? m[6];
  let digits2 = (m[5] ?? "").replace(/[' ]/g, "");
  const lastPoint = digits2.lastIndexOf(".");
  const pointIsDecimal = lastPoint > digits2.lastIndexOf(",") && !/^\d{1,3}(\.\d{3})+$/.test(digits2);
  const decimalComma = opts2.decimalComma === true && !pointIsDecimal;
  const decimalSep = decimalComma ? "," : ".";
  const groupSep = decimalComma ? "." : ",";
  const [intPartRaw, fracPart, extra] = digits2.split(decimalSep);
  if (extra !== void 0 || intPartRaw === void 0) return typeError("is not an amount of money");
  if (intPartRaw.includes(groupSep) && !new RegExp(`^\\d{1,3}(\\${groupSep}\\d{3})+$`).test(intPartRaw)) {
    return typeError("is not an amount of money (misplaced thousands separator)");
  }
  const intPart = intPartRaw.split(groupSep).join("");
  const minorDigits = opts2.minorDigits ?? 2;
  const frac = fracPart ?? "";
  if (!/^\d*$/.test(intPart) || !/^\d*$/.test(frac)) return typeError("is not an amount of money");
  if (frac.length > minorDigits && /[1-9]/.test(frac.slice(minorDigits))) {
  }
  digits2 = intPart + frac.padEnd(minorDigits, "0").slice(0, minorDigits);
  let minor = Number(digits2);
  if (frac.length > minorDigits && Number(frac[minorDigits]) >= 5) minor += 1;
  if (!Number.isSafeInteger(minor)) return typeError("is too large an amount");
  if (negative && minor !== 0) return constraintError("is negative: amounts must be 0 or more");
  return ok(currency ? { minor, currency } : { minor });
}
var SPACE_GROUPS = /^\d{1,3}([ \u00a0\u202f']\d{3})+$/;
function parseInteger(raw, opts2 = {}) {
  const t = raw.trim();
  const fast = fastInteger(t);
  if (fast >= 0) return ok(fast);
  const negative = t.startsWith("-") || t.startsWith("\u2212");
  const body = negative ? t.slice(1).trimStart() : t;
  const group = opts2.decimalComma ? "." : ",";
  let digits2;
  if (/^\d+$/.test(body)) digits2 = body;
  else if (new RegExp(`^\\d{1,3}(\\${group}\\d{3})+$`).test(body)) digits2 = body.split(group).join("");
  else if (SPACE_GROUPS.test(body)) digits2 = body.replace(/\D/g, "");
  if (digits2 === void 0) return typeError("is not a whole number");
  const n = Number(digits2);
  if (!Number.isSafeInteger(n)) return typeError("is too large a number");
  if (negative && n !== 0) return constraintError("is negative: counts must be 0 or more");
  return ok(n);
}
function parsePercent(raw) {
  const s = raw.trim();
  const m = /^(\d+(?:[.,]\d+)?)\s*(%?)$/.exec(s);
  if (!m) return typeError("is not a fraction or a percent");
  const n = Number((m[1] ?? "").replace(",", "."));
  const v = m[2] ? n / 100 : n;
  if (v < 0 || v > 1) return constraintError("is not between 0 and 100%");
  return ok(v);
}
var TRUE_WORDS = /* @__PURE__ */ new Set(["true", "yes", "y", "1"]);
var FALSE_WORDS = /* @__PURE__ */ new Set(["false", "no", "n", "0"]);
function parseBoolean(raw) {
  const s = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(s)) return ok(true);
  if (FALSE_WORDS.has(s)) return ok(false);
  return typeError("is not a yes/no value (true/false, yes/no, y/n, 1/0)");
}

// lambdas/domain/validation/validate-export.ts
var HEADER_SEARCH_CHARS = 256 * 1024;
var SUMMARY_RE = /^(grand\s+)?totals?\b/i;
var FOOTER_RE = /^(confidential|copyright|\(c\)|©|generated\s+by|filtered\s+by|salesforce\.com|report\s+(run|generated)|exported\s+(on|by))/i;
var ReportState = class {
  constructor(opts2) {
    this.opts = opts2;
  }
  opts;
  errors = new IssueLog();
  warnings = new IssueLog();
  format = { fileType: "unknown" };
  columns = {};
  checker;
  finish() {
    const c = this.checker;
    const rows2 = c?.rows ?? 0;
    const tolerance = this.opts.settings.errorTolerance ?? 0;
    const rowErrors = c?.errorIssues ?? 0;
    const fileErrors = this.errors.total - rowErrors;
    let status = this.errors.total === 0 ? "accepted" : "rejected";
    let droppedRows;
    if (status === "rejected" && c && fileErrors === 0 && tolerance > 0 && rows2 > 0 && c.errorRows / rows2 <= tolerance) {
      status = "accepted";
      droppedRows = c.errorRows;
      this.warnings.add({
        code: "rows-dropped",
        message: `${c.errorRows} of ${rows2} rows had errors and were left out (${pct(c.errorRows / rows2)}, within the ${pct(tolerance)} error-rate tolerance); the other rows were accepted`
      });
    } else if (status === "rejected" && c && fileErrors === 0 && tolerance > 0) {
      this.warnings.add({
        code: "rows-dropped",
        message: `${c.errorRows} of ${rows2} rows had errors (${pct(rows2 ? c.errorRows / rows2 : 1)}), more than the ${pct(tolerance)} error-rate tolerance: the file is rejected whole`
      });
    }
    return {
      status,
      dataset: this.opts.dataset,
      source: this.opts.source,
      rows: rows2,
      acceptedRows: c?.acceptedRows ?? 0,
      ...droppedRows !== void 0 ? { droppedRows } : {},
      format: this.format,
      columns: this.columns,
      errorCounts: this.errors.counts,
      errors: this.errors.kept,
      warningCounts: this.warnings.counts,
      warnings: this.warnings.kept
    };
  }
};
var pct = (f) => `${Math.round(f * 1e4) / 100}%`;
var fromParsed = (p) => p.ok ? p.value : p;
var SQL_STATUS = new Map([
  ...["accepted", "yes", "true", "1", "y"].map((w) => [w, "accepted"]),
  ...["rejected", "no", "false", "0", "n", "unqualified"].map((w) => [w, "rejected"]),
  ["pending", "pending"]
]);
function cellParser(column, settings, decimalComma) {
  const order = settings.dateOrder;
  switch (column.type) {
    case "text":
      return (raw) => raw;
    case "datetime":
      return (raw) => fastIsoDate(raw, false) ?? fromParsed(parseDateValue(raw, order));
    case "date":
      return (raw) => fastIsoDate(raw, true) ?? fromParsed(parseDateValue(raw, order, { dateOnly: true }));
    case "day-or-month":
      return (raw) => fastIsoDate(raw, true) ?? fromParsed(parseDateValue(raw, order, { dateOnly: true, allowMonth: true }));
    case "money":
      return (raw) => {
        const fast = fastMoneyMinor(raw);
        if (fast >= 0) return fast;
        const r = parseMoney(raw, { decimalComma });
        if (!r.ok) return r;
        if (r.value.currency && r.value.currency !== settings.currency) {
          return { code: "currency-mismatch", problem: `is in ${r.value.currency}, the configured currency is ${settings.currency}` };
        }
        return r.value.minor;
      };
    case "integer":
      return (raw) => {
        const fast = fastInteger(raw);
        return fast >= 0 ? fast : fromParsed(parseInteger(raw, { decimalComma }));
      };
    case "boolean":
      return (raw) => fromParsed(parseBoolean(raw));
    case "percent":
      return (raw) => fromParsed(parsePercent(raw));
    case "sql-status":
      return (raw) => SQL_STATUS.get(raw.toLowerCase()) ?? { code: "constraint-error", problem: "is not an SQL status (accepted, rejected, pending)" };
    case "currency":
      return (raw) => {
        const c = raw.toUpperCase();
        if (!/^[A-Z]{3}$/.test(c)) return { code: "type-error", problem: "is not an ISO 4217 currency code" };
        if (c !== settings.currency) return { code: "currency-mismatch", problem: `differs from the configured currency ${settings.currency}` };
        return c;
      };
  }
}
var isDateType = (c) => c.type === "datetime" || c.type === "date" || c.type === "day-or-month";
var NUMERIC_TYPES = /* @__PURE__ */ new Set(["money", "integer", "percent"]);
function untrimmed(s) {
  const n = s.length;
  if (n === 0) return false;
  const a = s.charCodeAt(0);
  const b = s.charCodeAt(n - 1);
  return a <= 32 || b <= 32 || a === 160 || b === 160 || a === 65279 || b === 65279;
}
var trimmed = (s) => untrimmed(s) ? s.trim() : s;
var RowChecker = class {
  constructor(spec, mapping2, opts2, state, headerWidth, decimalComma, sink) {
    this.spec = spec;
    this.opts = opts2;
    this.state = state;
    this.headerWidth = headerWidth;
    this.sink = sink;
    const { settings } = opts2;
    const plans = [];
    for (const column of spec.columns) {
      const index = mapping2.index[column.name];
      if (index === void 0) continue;
      const blank = !column.required ? "ok" : spec.name === "leads" && column.name === "source" ? "unknown" : spec.name === "opportunities" && column.name === "status" ? "ok" : "error";
      plans.push({
        name: column.name,
        index,
        parse: cellParser(column, settings, decimalComma),
        blank,
        isDate: isDateType(column),
        dateOnly: column.type !== "datetime"
      });
    }
    this.plans = plans;
    this.values = plans.map(() => void 0);
    this.dateSlots = plans.flatMap((p, k) => p.isDate ? [k] : []);
    this.dayKeys = new Float64Array(plans.length).fill(-1);
    this.cellsOf = cellsFactory(spec, plans);
    this.parsed = this.cellsOf(this.values);
    this.keyIndexes = spec.keyColumns.map((k) => mapping2.index[k] ?? -1);
    this.numericIndexes = spec.columns.filter((c) => NUMERIC_TYPES.has(c.type) && mapping2.index[c.name] !== void 0).map((c) => mapping2.index[c.name]);
    const tz = settings.timezone;
    const utc = UTC_ZONES2.has(tz);
    const localDay = (v) => localDayNumber(v, tz);
    const needsZone = (v) => !utc && v.charCodeAt(v.length - 1) === 90;
    this.buildCtx = {
      settings,
      localDay,
      before: (a, b) => needsZone(a) || needsZone(b) ? localDay(a) < localDay(b) : localDateBefore(a, b)
    };
    const limit = DateTime2.fromISO(opts2.uploadedAt, { zone: "utc" }).setZone(tz).plus({ days: 1 }).toISODate() ?? "9999-12-31";
    const limitDay = isoDateToDay(limit);
    const limitText = `${limit}~`;
    this.futureLimitKey = dayKey(limit);
    this.isFuture = (v) => needsZone(v) ? localDay(v) > limitDay : v > limitText;
    this.tolerance = settings.errorTolerance ?? 0;
  }
  spec;
  opts;
  state;
  headerWidth;
  sink;
  /** Data records read (summary, footer and comment rows included). */
  rows = 0;
  /** Records that passed (written to the sink unless the file is already rejected). */
  acceptedRows = 0;
  /** Rows with at least one error, and the errors found in rows. */
  errorRows = 0;
  errorIssues = 0;
  plans;
  /** Parsed values of the current row, by plan. */
  values;
  dateSlots;
  /** Per plan, this row's date as yyyymmdd when read by the fast path as a local date; else -1. */
  dayKeys;
  futureLimitKey;
  cellsOf;
  /** The current row's cells by column name: one object, refilled per row (`build` keeps nothing of it). */
  parsed;
  isFuture;
  keyIndexes;
  numericIndexes;
  ids = new CompactIdSet();
  tolerance;
  buildCtx;
  rowErrors = [];
  issues = [];
  writes = [];
  /** A row with blank keys and filled numbers: a summary if it is the last row, an error if another follows. */
  held;
  afterSummary = false;
  /**
   * The header's columns this checker never reads (a mask for `CsvParser.skip`): not mapped to a column of the
   * dataset, and not the first one (comment and summary rows are told by their first cell).
   */
  skippableColumns() {
    const mask = new Uint8Array(this.headerWidth).fill(1);
    mask[0] = 0;
    for (const p of this.plans) mask[p.index] = 0;
    return mask;
  }
  /** Waits for the sink when it asked to (backpressure); called once per chunk, not per row. */
  async flush() {
    if (this.writes.length === 0) return;
    const w = this.writes;
    this.writes = [];
    await Promise.all(w);
  }
  /** The end of the data: a held blank-key row was the last one, so it is a summary row. */
  end() {
    const h = this.held;
    if (!h) return;
    this.held = void 0;
    this.state.warnings.add({ code: "summary-row", row: h.row, line: h.line, value: trimmed(h.cells[0] ?? "").slice(0, 80), message: "summary row skipped" });
  }
  check(cells, row, line) {
    this.rows++;
    if (this.held) {
      const h = this.held;
      this.held = void 0;
      this.checkRecord(h.cells, h.row, h.line);
    }
    const first = trimmed(cells[0] ?? "");
    if (first === "") {
      if (isBlankRow(cells)) return;
    } else {
      const f = first.charCodeAt(0);
      if (f === 35) {
        this.state.warnings.add({ code: "comment-row", row, line, value: first.slice(0, 80), message: "comment line skipped" });
        return;
      }
      if ((f === 84 || f === 116 || f === 71 || f === 103) && SUMMARY_RE.test(first)) {
        this.afterSummary = true;
        this.state.warnings.add({ code: "summary-row", row, line, value: first.slice(0, 80), message: "summary row skipped" });
        return;
      }
    }
    if (this.keysBlank(cells) && this.numbersFilled(cells)) {
      this.held = { cells, row, line };
      return;
    }
    this.checkRecord(cells, row, line);
  }
  keysBlank(cells) {
    for (const i of this.keyIndexes) {
      const c = i < 0 ? void 0 : cells[i];
      if (c !== void 0 && trimmed(c) !== "") return false;
    }
    return true;
  }
  /** "Its numbers are filled": a count or an amount, not a date (a record that lost its id is an error, not a total). */
  numbersFilled(cells) {
    return this.numericIndexes.some((i) => /\d/.test(cells[i] ?? ""));
  }
  err(code, row, line, column, value, message) {
    this.rowErrors.push({ code, row, line, ...column ? { column } : {}, ...value !== void 0 ? { value } : {}, message });
  }
  checkRecord(cells, row, line) {
    const { spec, state, plans, values } = this;
    const rowErrors = this.rowErrors;
    if (rowErrors.length) rowErrors.length = 0;
    if (cells.length > this.headerWidth) {
      for (let i = this.headerWidth; i < cells.length; i++) {
        if (trimmed(cells[i]) !== "") {
          this.err("extra-cell", row, line, void 0, cells[i], `the row has ${cells.length} cells, the header ${this.headerWidth}`);
          break;
        }
      }
    }
    for (let k = 0; k < plans.length; k++) {
      const plan = plans[k];
      values[k] = void 0;
      const cell = cells[plan.index];
      if (cell === void 0) {
        this.err("missing-cell", row, line, plan.name, void 0, `the row has ${cells.length} cells and ends before column "${plan.name}"`);
        continue;
      }
      const raw = trimmed(cell);
      if (raw === "") {
        if (plan.blank === "error") this.err("missing-value", row, line, plan.name, "", `required value "${plan.name}" is blank`);
        else if (plan.blank === "unknown") {
          values[k] = "unknown";
          state.warnings.add({ code: "blank-value", row, line, column: plan.name, value: "", message: `blank ${plan.name} read as "unknown"` });
        }
        continue;
      }
      let v;
      if (plan.isDate) {
        v = fastIsoDate(raw, plan.dateOnly);
        this.dayKeys[k] = v !== void 0 && raw.charCodeAt(raw.length - 1) !== 90 ? dayKey(raw) : -1;
        if (v === void 0) v = plan.parse(raw);
      } else v = plan.parse(raw);
      if (typeof v === "object") {
        this.err(v.code, row, line, plan.name, raw, `"${truncate(raw)}" ${v.problem}`);
        continue;
      }
      values[k] = v;
    }
    const parsed = this.cellsOf(values, this.parsed);
    if (rowErrors.length === 0) {
      const exempt = spec.futureDateExempt?.(parsed);
      for (const k of this.dateSlots) {
        const v = values[k];
        if (typeof v !== "string") continue;
        const key = this.dayKeys[k];
        if ((key >= 0 ? key > this.futureLimitKey : this.isFuture(v)) && !exempt?.includes(plans[k].name)) {
          this.err("future-date", row, line, plans[k].name, v, `${v.slice(0, 10)} is in the future (uploaded ${this.opts.uploadedAt.slice(0, 10)})`);
        }
      }
    }
    let record;
    if (rowErrors.length === 0) {
      const issues = this.issues;
      if (issues.length) issues.length = 0;
      record = spec.build(parsed, this.buildCtx, issues);
      for (const issue of issues) {
        if (issue.severity === "error") this.err(issue.code, row, line, issue.column, stringOf(parsed[issue.column]), issue.message);
        else state.warnings.add({ code: "blank-value", row, line, column: issue.column, message: issue.message });
      }
    }
    if (rowErrors.length > 0 && this.isFooter(cells)) {
      state.warnings.add({ code: "footer-row", row, line, value: trimmed(cells[0] ?? "").slice(0, 80), message: "report footer line skipped" });
      return;
    }
    if (spec.idColumn) {
      const id = parsed[spec.idColumn];
      if (typeof id === "string") {
        const seen = this.ids.add(id, row);
        if (seen) this.err("duplicate-id", row, line, spec.idColumn, id, `${spec.idColumn} "${truncate(id)}" is also on row ${seen}`);
      }
    } else if (record && rowErrors.length === 0) {
      const seen = this.ids.add(spec.keyOf(record), row);
      if (seen) {
        const cols = spec.uniqueKey;
        this.err(
          "duplicate-id",
          row,
          line,
          cols[0],
          cols.map((c) => stringOf(record[c]) || "(blank)").join(" / "),
          `row ${seen} has the same ${cols.join(", ")}: the scorecard keeps one record per ${cols.join(" + ")}, so one of the two would be lost; put them on one row, or export without extra breakdowns (device, ad set, region\u2026)`
        );
      }
    }
    if (rowErrors.length > 0) {
      this.errorRows++;
      this.errorIssues += rowErrors.length;
      for (const e of rowErrors) state.errors.add(e);
      return;
    }
    if (!record) return;
    this.acceptedRows++;
    if (this.tolerance > 0 || state.errors.total === 0) {
      const w = this.sink.write(record);
      if (w) this.writes.push(w);
    }
  }
  /** Only the first cell filled, and it reads like a report footer, or it follows a summary row. */
  isFooter(cells) {
    for (let i = 1; i < cells.length; i++) if (trimmed(cells[i]) !== "") return false;
    return this.afterSummary || FOOTER_RE.test(trimmed(cells[0] ?? ""));
  }
};
var dayKey = (s) => (s.charCodeAt(0) - 48) * 1e7 + (s.charCodeAt(1) - 48) * 1e6 + (s.charCodeAt(2) - 48) * 1e5 + (s.charCodeAt(3) - 48) * 1e4 + (s.charCodeAt(5) - 48) * 1e3 + (s.charCodeAt(6) - 48) * 100 + (s.charCodeAt(8) - 48) * 10 + (s.charCodeAt(9) - 48);
var UTC_ZONES2 = /* @__PURE__ */ new Set(["UTC", "Etc/UTC", "Etc/GMT", "GMT", "Z"]);
function localDateBefore(a, b) {
  if (a.length === 10 && b.length === 10) return a < b;
  for (let i = 0; i < 10; i++) {
    const ca = i < a.length ? a.charCodeAt(i) : i === 7 ? 45 : i === 8 ? 48 : 49;
    const cb = i < b.length ? b.charCodeAt(i) : i === 7 ? 45 : i === 8 ? 48 : 49;
    if (ca !== cb) return ca < cb;
  }
  return false;
}
function cellsFactory(spec, plans) {
  const slot = new Map(plans.map((p, k) => [p.name, k]));
  const value = (name) => slot.has(name) ? `v[${slot.get(name)}]` : "undefined";
  const fields = spec.columns.map((c) => `${JSON.stringify(c.name)}: ${value(c.name)}`);
  const stores = spec.columns.filter((c) => slot.has(c.name)).map((c) => `o[${JSON.stringify(c.name)}] = ${value(c.name)};`);
  return new Function("v", "o", `if (o === undefined) return { ${fields.join(", ")} }; ${stores.join(" ")} return o;`);
}
function isBlankRow(cells) {
  for (const c of cells) if (trimmed(c) !== "") return false;
  return true;
}
var truncate = (s) => s.length > 60 ? `${s.slice(0, 57)}\u2026` : s;
var stringOf = (v) => v === void 0 ? void 0 : String(v);

// ../../tmp/val3/rc.mts
var text = readFileSync(process.argv[2], "utf8").slice(0, 2e7);
var rows = [];
var cp = new CsvParser({ delimiter: "," });
cp.push(text, (c, r, l) => {
  rows.push([c, r, l]);
});
var header = rows.shift()[0];
var mapping = mapHeader(header, DATASETS.leads);
var opts = { dataset: "leads", settings: { ...DEFAULT_SETTINGS, errorTolerance: 0.01 }, source: "x", uploadedAt: "2026-11-02T09:00:00Z" };
var chunks = [];
for (let i = 0; i < text.length; i += 65536) chunks.push(Buffer.from(text.slice(i, i + 65536)).toString());
function udsv() {
  const t = performance.now();
  let n = 0;
  const p = initParser(inferSchema(chunks[0]));
  for (const c of chunks) p.chunk(c, p.stringArrs, () => {
    n++;
  });
  p.end();
  return performance.now() - t;
}
for (let k = 0; k < 5; k++) {
  const u = udsv();
  const state = new ReportState(opts);
  const ch = new RowChecker(DATASETS.leads, mapping, opts, state, header.length, false, { write: () => void 0, reset: () => void 0 });
  const t = performance.now();
  for (const [c2, r, l] of rows) ch.check(c2, r, l);
  const c = performance.now() - t;
  console.log("check/udsv", (c / u).toFixed(2), ch.acceptedRows, ch.errorRows, state.errors.total, rows.length, "rows", ((performance.now() - t) / rows.length * 1e6).toFixed(0), "ns/row");
}
