/**
 * Parser for the IMLS Public Libraries Survey FY2015 outlet CSV (one row per
 * library building). Pure TypeScript: no Strapi imports, so it can be unit
 * tested and reused by the import script.
 */
import { parse } from 'csv-parse/sync';

export type OutletType = 'main' | 'branch' | 'bookmobile';

export interface ImlsOutlet {
  state: string;
  fscsId: string;
  fscsSeq: number;
  imlsLibraryId: string;
  /** Outlet (building) name, in library case. */
  name: string;
  /** Administrative entity name (the library that owns the building), in library case. */
  libraryName: string;
  phone: string | null;
  county: string | null;
  /** Library case; the city is removed when it was resolved from the street line. */
  street: string | null;
  /** Library case; null when it could not be resolved with certainty. */
  city: string | null;
  latitude: number | null;
  longitude: number | null;
  outletType: OutletType;
  squareFeet: number | null;
  hoursPerYear: number | null;
  locale: string | null;
  /** True when the city could not be resolved with certainty. */
  needsReview: boolean;
  reviewNote: string | null;
  /** True when the city was recovered from the end of the street line. */
  cityFromStreetLine: boolean;
}

export interface ParseResult {
  outlets: ImlsOutlet[];
  errors: { line: number; message: string }[];
}

const OUTLET_TYPES: Record<string, OutletType> = { CE: 'main', BR: 'branch', BS: 'bookmobile' };

const COLUMNS = {
  state: 'STATE',
  fscsId: 'FSCS ID',
  fscsSeq: 'FSCS ID_SEQ',
  libraryId: 'LIBRARY ID',
  name: 'LIBRARY NAME',
  system: 'LIBRARY SYSTEM',
  phone: 'PHONE',
  county: 'COUNTY',
  location: 'LOCATION',
  locale: 'LOCALE',
  outletType: 'OUTLET TYPE',
  squareFeet: 'SQ FEET',
  hours: 'HOURS',
} as const;
type Column = keyof typeof COLUMNS;

// ---------------------------------------------------------------------------
// Library case
// ---------------------------------------------------------------------------

const SMALL_WORDS = new Set(['OF', 'AND', 'THE', 'AT', 'IN', 'FOR', 'ON']);
const ROMAN = new Set(
  'II III IV VI VII VIII IX XI XII XIII XIV XV XVI XVII XVIII XIX XX'.split(' '),
);
const KEEP_UPPER = new Set(['PO', 'US', 'IL', 'LLSAP', 'NE', 'NW', 'SE', 'SW', ...ROMAN]);
// Vowel-less words are treated as acronyms (MLK, CR, FM) except these
// street/title abbreviations, which read better capitalised.
const ABBREVIATIONS = new Set(
  (
    'ST RD DR LN BLVD HWY PKWY CT PL MT FT JR SR STE CTR TWP BLDG HSE TRL CIR SQ ' +
    'TPK TPKE XING PT CRK MTN HTS SPGS PK PLZ BR DPT MC'
  ).split(' '),
);
// Illinois names whose capitals sit inside the word.
const SPECIAL: Record<string, string> = {
  DUPAGE: 'DuPage',
  DEKALB: 'DeKalb',
  DEWITT: 'DeWitt',
  LASALLE: 'LaSalle',
};

function capitalise(part: string): string {
  const lower = part.toLowerCase();
  const i = lower.search(/[a-z]/);
  return i < 0 ? lower : lower.slice(0, i) + lower[i].toUpperCase() + lower.slice(i + 1);
}

/** Cases one alphanumeric run (no separators). */
function casePart(part: string): string {
  if (!/[A-Z]/i.test(part)) return part;
  const upper = part.toUpperCase();
  if (SPECIAL[upper]) return SPECIAL[upper];
  if (KEEP_UPPER.has(upper)) return upper;
  if (/^\d+(ST|ND|RD|TH)$/.test(upper)) return upper.toLowerCase();
  // Grid addresses and unit numbers such as 2S101, 28W751, 650B stay as written.
  if (/\d/.test(upper)) return upper;
  if (upper.length === 1) return upper;
  if (!/[AEIOUY]/.test(upper) && !ABBREVIATIONS.has(upper)) return upper;
  if (/^MC[A-Z]{2,}$/.test(upper)) return 'Mc' + capitalise(upper.slice(2));
  return capitalise(upper);
}

/** Cases a whitespace-free token, treating - . / as separators and handling O'X. */
function caseToken(token: string): string {
  return token
    .split(/([-./])/)
    .map((piece) => {
      const apostrophe = piece.match(/^([A-Z])'([A-Z]{2,})$/i);
      if (apostrophe) return apostrophe[1].toUpperCase() + "'" + casePart(apostrophe[2]);
      return piece
        .split("'")
        .map((p, i) => (i === 0 ? casePart(p) : p.toLowerCase()))
        .join("'");
    })
    .join('');
}

/**
 * Converts an upper-case IMLS name or address to "library case"
 * ("C.E. BREHM MEMORIAL PUBLIC LIBRARY DISTRICT" -> "C.E. Brehm Memorial Public Library District").
 * Deterministic word rules only, so some names come out imperfect: acronyms that contain a
 * vowel (YMCA) become "Ymca", inner capitals other than Mc and the four Illinois names in
 * SPECIAL are lost ("MACARTHUR" -> "Macarthur"), and "IN"/"ON" are always treated as words.
 */
export function libraryCase(upper: string): string {
  let cased = caseCache.get(upper);
  if (cased === undefined) {
    const words = upper.trim().split(/\s+/).filter(Boolean);
    cased = words
      .map((word, i) =>
        i > 0 && SMALL_WORDS.has(word.toUpperCase()) ? word.toLowerCase() : caseToken(word),
      )
      .join(' ');
    // Names, systems and counties repeat a lot; the cache is cleared so it cannot grow without bound.
    if (caseCache.size > 50_000) caseCache.clear();
    caseCache.set(upper, cased);
  }
  return cased;
}
const caseCache = new Map<string, string>();

// ---------------------------------------------------------------------------
// City resolution for addresses whose city sits at the end of the street line
// ---------------------------------------------------------------------------

const DIRECTIONS = new Set([
  'N',
  'S',
  'E',
  'W',
  'NE',
  'NW',
  'SE',
  'SW',
  'NORTH',
  'SOUTH',
  'EAST',
  'WEST',
]);
// Words that end a street name. ST and CT are left out on purpose: they are also
// "Saint" and "Court (House)" at the start of city names (ST CHARLES, CAPE MAY CT HSE).
const DESIGNATORS = new Set(
  (
    'STREET AVENUE AVE ROAD RD DRIVE DR LANE LN BOULEVARD BLVD PLACE PL PARKWAY PKWY ' +
    'HIGHWAY HWY COURT TERRACE TER PLAZA CIRCLE CIR TRAIL TRL WAY'
  ).split(' '),
);
const UNIT_WORDS = new Set([
  'SUITE',
  'STE',
  'UNIT',
  'APT',
  'ROOM',
  'RM',
  'FLOOR',
  'FL',
  'BLDG',
  'BOX',
]);
// Words that often begin a city name ("NEW MEADOWS", "PORT BYRON"): if the street would end
// with one, the city may be longer than the match.
const CITY_PREFIXES = new Set(
  'NEW OLD PORT FORT FT MOUNT MT SAINT ST SAN SANTA LOS LAS LA LE EL DE DU GREAT LITTLE UPPER LOWER GLEN LAKE BIG'.split(
    ' ',
  ),
);
// A one-word "city" that is one of these is as likely to be part of the street.
const GENERIC_CITY_WORDS = new Set([
  ...DIRECTIONS,
  ...DESIGNATORS,
  'CITY',
  'TOWN',
  'VILLAGE',
  'TOWNSHIP',
  'JUNCTION',
  ...'MAIN PARK CENTER CENTRE CENTRAL LAKE LAKES HILL HILLS GROVE RIDGE VIEW FOREST GARDEN GARDENS HEIGHTS VALLEY SPRING SPRINGS RIVER CREEK MILL MILLS SQUARE STATION BROADWAY MARKET CHURCH SCHOOL BRIDGE ST CT'.split(
    ' ',
  ),
]);

/**
 * Why a city (upper-case words) looks like a misplaced line break rather than a city, or null.
 * IMLS also splits some well-formed addresses at the wrong word ("106 COBEAN BLVD LAKE" /
 * "CITY, AR", "701 SOUTH OAK STREET" / "A EVANSVILLE, IL").
 */
function implausibleCity(words: string[]): string | null {
  const first = words[0];
  if (words.length > 1 && first.length === 1) return `"${first}" looks like part of the street`;
  if (words.length > 1 && /^(NE|NW|SE|SW)$/.test(first))
    return `"${first}" looks like part of the street`;
  if (words.length > 1 && !/[AEIOUY]/.test(first) && !/^(ST|MT|FT|PT)\.?$/.test(first)) {
    return `"${first}" looks like part of the street`;
  }
  if (words.length === 1 && GENERIC_CITY_WORDS.has(first))
    return `"${first}" alone is as likely to be a street word as a city`;
  return null;
}

export interface CityIndex {
  /** city (upper case) -> counties (upper case) of well-formed rows naming it */
  counties: Map<string, Set<string>>;
}

export interface StreetSplitContext {
  county: string;
  /** Upper-case outlet and administrative names of the row. */
  names: string[];
  knownCities: CityIndex | undefined;
}

export type StreetSplit =
  | {
      ok: true;
      street: string;
      city: string;
      evidence: 'known-city' | 'library-name' | 'street-designator';
    }
  | { ok: false; reason: string };

const join = (words: string[]) => words.join(' ');

/**
 * Splits "15624 SOUTH CENTRAL AVENUE OAK FOREST" into street and city, or says why it cannot.
 *
 * Rule: resolve only when certain, otherwise the caller flags the row for review.
 * 1. Evidence: the LONGEST suffix of the words that is the city of a well-formed row of the same
 *    state (ambiguous if a shorter suffix is a city known in the row's county and the longer one
 *    is not); failing that, a suffix that begins the outlet or administrative name
 *    ("ARLINGTON HEIGHTS MEMORIAL LIBRARY").
 * 2. Structure: the words after the last street designator (AVENUE, ROAD, ...). Needed because in
 *    the FY2015 Illinois file none of the 100 cities in street lines is also the city of a
 *    well-formed Illinois row, so step 1 alone resolves almost nothing there. Alone it may name
 *    at most two words; it is dropped when a number, unit, second designator or direction
 *    follows the designator.
 * 3. If both exist they must agree. Then the remaining street must keep a word that is not a
 *    number and must not end in a direction or a word that often begins a city name (NEW, PORT,
 *    ST), and the city must not look like a misplaced line break (see implausibleCity).
 */
export function splitStreetLine(line: string, ctx: StreetSplitContext): StreetSplit {
  const words = line.trim().toUpperCase().split(/\s+/).filter(Boolean);
  const fail = (reason: string): StreetSplit => ({ ok: false, reason });
  if (words.length < 2) return fail('it has no word that could be the city');

  // 1. Evidence from known cities and names.
  let evidence: { k: number; kind: 'known-city' | 'library-name' } | null = null;
  const known = ctx.knownCities?.counties;
  if (known) {
    let longest = -1;
    let longestInCounty = -1;
    for (let k = 1; k < words.length; k++) {
      const counties = known.get(join(words.slice(k)));
      if (!counties) continue;
      if (longest < 0) longest = k;
      if (counties.has(ctx.county) && longestInCounty < 0) longestInCounty = k;
    }
    if (longestInCounty >= 0 && longest < longestInCounty) {
      return fail(
        `"${join(words.slice(longest))}" and "${join(words.slice(longestInCounty))}" are both known cities`,
      );
    }
    if (longest >= 0) evidence = { k: longest, kind: 'known-city' };
  }
  if (!evidence) {
    // Compared without spaces so "LA GRANGE PARK" matches "LAGRANGE PARK PUBLIC LIBRARY DISTRICT",
    // but only at a word boundary of the name.
    const namePrefixes = new Set<string>();
    for (const name of ctx.names) {
      let prefix = '';
      for (const word of name.split(/\s+/)) namePrefixes.add((prefix += word));
    }
    for (let k = 1; k < words.length && !evidence; k++) {
      if (namePrefixes.has(words.slice(k).join(''))) evidence = { k, kind: 'library-name' };
    }
  }

  // 2. Structural candidate.
  let structural = -1;
  for (let k = words.length - 1; k >= 1; k--) {
    if (DESIGNATORS.has(words[k - 1])) {
      structural = k;
      break;
    }
  }
  if (structural >= 0) {
    const city = words.slice(structural);
    const problem = city.some((w) => /\d|^#/.test(w) || UNIT_WORDS.has(w))
      ? 'a number or unit follows the last street designator'
      : structural >= 2 && DESIGNATORS.has(words[structural - 2])
        ? `"${words[structural - 1]}" may belong to the city`
        : DIRECTIONS.has(city[0])
          ? `"${city[0]}" may belong to the street or the city`
          : null;
    if (problem) {
      if (!evidence) return fail(problem);
      structural = -1;
    }
  }

  let k: number;
  let kind: 'known-city' | 'library-name' | 'street-designator';
  if (evidence && structural >= 0 && evidence.k !== structural) {
    return fail(
      `the ${evidence.kind === 'known-city' ? 'known city' : 'library name'} suggests "${join(
        words.slice(evidence.k),
      )}" but the street designator suggests "${join(words.slice(structural))}"`,
    );
  } else if (evidence) {
    ({ k, kind } = evidence);
  } else if (structural >= 0) {
    k = structural;
    kind = 'street-designator';
  } else {
    return fail('no known city, library name or street designator marks where the city starts');
  }
  if (kind === 'street-designator' && words.length - k > 2) {
    return fail(`nothing confirms that all of "${join(words.slice(k))}" is the city`);
  }

  const street = words.slice(0, k);
  const city = words.slice(k);
  if (!street.some((w) => /^[A-Z][A-Z.'-]+$/.test(w))) {
    return fail('nothing but a number would remain of the street');
  }
  const before = street[street.length - 1];
  if (DIRECTIONS.has(before)) {
    return fail(
      `the word before "${join(city)}" is a direction, which may belong to the street or the city`,
    );
  }
  if (CITY_PREFIXES.has(before)) {
    return fail(`the word before "${join(city)}" often begins a city name`);
  }
  const implausible = implausibleCity(city);
  if (implausible) return fail(implausible);
  return { ok: true, street: join(street), city: join(city), evidence: kind };
}

// ---------------------------------------------------------------------------
// LOCATION field
// ---------------------------------------------------------------------------

/**
 * "198 SOUTH MAIN STREET GLEN" / "CARBON, IL": the city's first word slipped onto
 * the street line. Rejoin it only when the outlet or library name begins with the
 * rejoined city and not with the city line alone, so ordinary addresses never move.
 */
function rejoinSplitCity(street: string, city: string, names: string[]): { street: string; city: string } | null {
  const compact = (s: string) => s.toUpperCase().replace(/[^A-Z]/g, '');
  const words = street.toUpperCase().split(/\s+/);
  if (names.some((n) => compact(n).startsWith(compact(city)))) return null;
  for (let n = 1; n <= 2 && n < words.length - 1; n += 1) {
    const tail = words.slice(-n);
    if (tail.some((w) => DESIGNATORS.has(w) || /\d/.test(w))) break;
    const candidate = [...tail, city.toUpperCase()].join(' ');
    if (names.some((name) => compact(name).startsWith(compact(candidate)))) {
      return { street: words.slice(0, -n).join(' '), city: candidate };
    }
  }
  return null;
}

const COORDS = /^\(\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*\)$/;
const CITY_STATE = /^(.*\S),\s*([A-Z]{2})$/;

interface Location {
  street: string | null;
  /** City from a well-formed "CITY, ST" line. */
  city: string | null;
  /** Street line that still holds the city, when the city line is missing. */
  merged: string | null;
  unparsed: string | null;
  latitude: number | null;
  longitude: number | null;
}

function splitLocation(raw: string, state: string): Location {
  const lines = raw
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const loc: Location = {
    street: null,
    city: null,
    merged: null,
    unparsed: null,
    latitude: null,
    longitude: null,
  };
  const coords = lines.length ? lines[lines.length - 1].match(COORDS) : null;
  if (coords) {
    lines.pop();
    loc.latitude = Number(coords[1]);
    loc.longitude = Number(coords[2]);
  }
  const cityLine = lines.length === 2 ? lines[1].match(CITY_STATE) : null;
  if (cityLine) {
    loc.street = lines[0];
    loc.city = cityLine[1];
  } else if (lines.length === 2 && lines[1].toUpperCase() === state) {
    loc.merged = lines[0];
  } else if (lines.length === 1 && lines[0].match(CITY_STATE)?.[2] === state) {
    // Street and "CITY, ST" on a single line (seen in other states).
    loc.merged = lines[0].match(CITY_STATE)![1];
  } else if (lines.length) {
    loc.unparsed = lines.join(' ');
  }
  return loc;
}

// ---------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------

function toNumber(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** IMLS codes missing or inapplicable values as negatives (-1 not reported, -3 closed/not applicable). */
function toMeasure(value: string | undefined): number | null {
  const n = toNumber(value);
  return n === null || n < 0 ? null : n;
}

const orNull = (value: string | undefined) => (value && value.trim() ? value.trim() : null);

interface Row {
  line: number;
  get: (c: Column) => string;
  location: Location;
}

/**
 * Parses the IMLS PLS FY2015 outlet CSV. Rows that cannot be represented (unknown outlet type,
 * missing ids) go to `errors` with their line number in the file; every other row becomes an
 * outlet, flagged with needsReview when its city could not be resolved with certainty.
 */
export function parseImlsCsv(csvText: string, opts: { state?: string } = {}): ParseResult {
  const errors: ParseResult['errors'] = [];
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // Empty lines are kept (and skipped below) so each record starts on the line after the previous one.
    records = parse(csvText, { bom: true, info: true, relax_column_count: true });
  } catch (err) {
    const e = err as Error & { lines?: number };
    return {
      outlets: [],
      errors: [{ line: e.lines ?? 0, message: `CSV could not be read: ${e.message}` }],
    };
  }
  if (!records.length)
    return { outlets: [], errors: [{ line: 1, message: 'CSV has no header row' }] };

  const header = records[0].record.map((h) => h.trim().toUpperCase());
  const index = {} as Record<Column, number>;
  const missing: string[] = [];
  for (const key of Object.keys(COLUMNS) as Column[]) {
    index[key] = header.indexOf(COLUMNS[key]);
    if (index[key] < 0) missing.push(COLUMNS[key]);
  }
  if (missing.length) {
    return {
      outlets: [],
      errors: [{ line: 1, message: `CSV is missing columns: ${missing.join(', ')}` }],
    };
  }

  const wantState = opts.state?.trim().toUpperCase();
  const rows: Row[] = [];
  const citiesByState = new Map<string, CityIndex>();
  let line = records[0].info.lines;
  for (const { record, info } of records.slice(1)) {
    const previousEnd = line;
    line = info.lines;
    if (record.length === 1 && record[0].trim() === '') continue;
    const startLine = previousEnd + 1;
    const get = (c: Column) => (record[index[c]] ?? '').trim();
    const state = get('state').toUpperCase();
    if (wantState && state !== wantState) continue;
    if (record.length !== header.length) {
      errors.push({
        line: startLine,
        message: `expected ${header.length} fields, found ${record.length}`,
      });
      continue;
    }
    const location = splitLocation(get('location'), state);
    if (location.city && !implausibleCity(location.city.toUpperCase().split(/\s+/))) {
      let idx = citiesByState.get(state);
      if (!idx) citiesByState.set(state, (idx = { counties: new Map() }));
      const city = location.city.toUpperCase();
      if (!idx.counties.has(city)) idx.counties.set(city, new Set());
      idx.counties.get(city)!.add(get('county').toUpperCase());
    }
    rows.push({ line: startLine, get, location });
  }

  const outlets: ImlsOutlet[] = [];
  for (const { line, get, location } of rows) {
    const state = get('state').toUpperCase();
    const fscsId = get('fscsId');
    const fscsSeq = toNumber(get('fscsSeq'));
    const typeCode = get('outletType').toUpperCase();
    const outletType = OUTLET_TYPES[typeCode];
    if (!fscsId || fscsSeq === null) {
      errors.push({ line, message: 'missing FSCS ID or FSCS ID_SEQ' });
      continue;
    }
    if (!outletType) {
      errors.push({ line, message: `${fscsId}-${fscsSeq}: unsupported OUTLET TYPE "${typeCode}"` });
      continue;
    }

    let street = location.street;
    let city = location.city;
    let cityFromStreetLine = false;
    let reviewNote: string | null = null;
    let rejoined: { street: string; city: string } | null = null;
    const implausible = city ? implausibleCity(city.toUpperCase().split(/\s+/)) : null;
    if (implausible) {
      reviewNote = `City line "${city}" of the IMLS address may be split at the wrong word (${implausible}); street line "${street}"`;
      city = null;
    } else if (city && street && (rejoined = rejoinSplitCity(street, city, [get('name'), get('system')]))) {
      street = rejoined.street;
      city = rejoined.city;
      cityFromStreetLine = true;
    } else if (location.merged) {
      const split = splitStreetLine(location.merged, {
        county: get('county').toUpperCase(),
        names: [get('name').toUpperCase(), get('system').toUpperCase()],
        knownCities: citiesByState.get(state),
      });
      // `in` rather than `split.ok`: the app's tsconfig is not strict, so boolean discriminants do not narrow.
      if ('reason' in split) {
        street = location.merged;
        reviewNote = `City missing from the IMLS address; street line "${location.merged}" could not be split with certainty (${split.reason})`;
      } else {
        street = split.street;
        city = split.city;
        cityFromStreetLine = true;
      }
    } else if (location.unparsed) {
      street = location.unparsed;
      reviewNote = `IMLS address "${location.unparsed}" has no recognisable "CITY, ${state}" line`;
    } else if (!city) {
      reviewNote = 'IMLS address is empty';
    }

    outlets.push({
      state,
      fscsId,
      fscsSeq,
      imlsLibraryId: get('libraryId'),
      name: libraryCase(get('name')),
      libraryName: libraryCase(get('system')),
      phone: orNull(get('phone')),
      county: get('county') ? libraryCase(get('county')) : null,
      street: street ? libraryCase(street) : null,
      city: city ? libraryCase(city) : null,
      latitude: location.latitude,
      longitude: location.longitude,
      outletType,
      squareFeet: toMeasure(get('squareFeet')),
      hoursPerYear: toMeasure(get('hours')),
      locale: orNull(get('locale')),
      needsReview: reviewNote !== null,
      reviewNote,
      cityFromStreetLine,
    });
  }
  errors.sort((a, b) => a.line - b.line);
  return { outlets, errors };
}
