import { readFileSync } from 'fs';
import path from 'path';
import { parse } from 'csv-parse/sync';
import {
  ImlsOutlet,
  ParseResult,
  libraryCase,
  parseImlsCsv,
  splitStreetLine,
} from '../../src/api/building/imls/parse';

// Both IMLS files ship with the repo (database/data).
const illinoisCsv = readFileSync(path.resolve(__dirname, '../../database/data/imls-pls-fy2015-outlets-illinois.csv'), 'utf8');
const ALL_STATES = process.env.IMLS_ALL_STATES || path.resolve(__dirname, '../../database/data/imls-pls-fy2015-outlets-all-states.csv');

// Every city recovered from an Illinois street line, checked by hand against the street lines:
// all are Illinois municipalities or communities. A resolved city outside this list would be a
// silent mis-split.
const VERIFIED_STREET_LINE_CITIES = new Set(
  (
    'Arlington Heights,Bedford Park,Blue Island,Bluffs,Bunker Hill,Calumet Park,Camp Point,Carol Stream,' +
    'Carrier Mills,Cherry Valley,Chicago Heights,Chicago Ridge,Cissna Park,Clarendon Hills,Coal Valley,' +
    'Crest Hill,Crystal Lake,Deer Creek,Des Plaines,Downers Grove,Elk Grove Village,Elmwood Park,' +
    'Evergreen Park,Fairview Heights,Forest Park,Fox Lake,Fox River Grove,Franklin Grove,Franklin Park,' +
    'Germantown Hills,Glendale Heights,Grant Park,Hanover Park,Harwood Heights,Hazel Crest,Highland Park,' +
    'Hoffman Estates,Homer Glen,Kaneville,La Grange Park,Lake Bluff,Lake Forest,Leaf River,Loves Park,' +
    'Maple Park,Marquette Heights,Melrose Park,Morton Grove,Oak Brook,Oak Forest,Oak Park,Olive Branch,' +
    'Orland Park,Palos Heights,Palos Hills,Palos Park,Park Forest,Park Ridge,Peoria Heights,Pleasant Plains,' +
    'Prospect Heights,Richton Park,River Forest,River Grove,Rock Falls,Rock Island,Rolling Meadows,Round Lake,' +
    'Sauk Village,Schiller Park,Spring Valley,Stillman Valley,Sugar Grove,Summit,Tinley Park,University Park,' +
    'Vernon Hills,Villa Grove,Villa Park,Warrenville,West Union,Western Springs,Winfield,Wood Dale,Wood River'
  ).split(','),
);

const key = (fscsId: string, seq: number | string) => `${fscsId}-${Number(seq)}`;

describe('parseImlsCsv on the Illinois FY2015 outlet file', () => {
  let result: ParseResult;
  let byKey: Map<string, ImlsOutlet>;
  // Read independently of the parser: rows whose second LOCATION line is only the state.
  let cityInStreet: { key: string; streetLine: string }[];
  let wellFormedCities: Set<string>;

  beforeAll(() => {
    result = parseImlsCsv(illinoisCsv);
    byKey = new Map(result.outlets.map((o) => [key(o.fscsId, o.fscsSeq), o]));
    const rows: Record<string, string>[] = parse(illinoisCsv, { columns: true, bom: true });
    cityInStreet = [];
    wellFormedCities = new Set();
    for (const row of rows) {
      const lines = row.LOCATION.split('\n');
      if (lines[1] === 'IL')
        cityInStreet.push({ key: key(row['FSCS ID'], row['FSCS ID_SEQ']), streetLine: lines[0] });
      else wellFormedCities.add(lines[1].replace(/, IL$/, ''));
    }
  });

  it('parses every row without errors', () => {
    expect(result.errors).toEqual([]);
    expect(result.outlets).toHaveLength(800);
    expect(byKey.size).toBe(800);
  });

  it('maps outlet types CE/BR/BS to main/branch/bookmobile', () => {
    const counts = { main: 0, branch: 0, bookmobile: 0 };
    for (const o of result.outlets) counts[o.outletType]++;
    expect(counts).toEqual({ main: 622, branch: 159, bookmobile: 19 });
  });

  it('reads a well-formed row', () => {
    expect(byKey.get('IL0001-2')).toEqual({
      state: 'IL',
      fscsId: 'IL0001',
      fscsSeq: 2,
      imlsLibraryId: '3037200',
      name: 'John Mosser Public Library District',
      libraryName: 'John Mosser Public Library District',
      phone: '309-462-3129',
      county: 'Knox',
      street: '106 West Meek Street',
      city: 'Abingdon',
      latitude: 40.802373,
      longitude: -90.399152,
      outletType: 'main',
      squareFeet: 4493,
      hoursPerYear: null, // HOURS -1 = not reported
      locale: '33',
      needsReview: false,
      reviewNote: null,
      cityFromStreetLine: false,
    });
  });

  it('parses coordinates as numbers for every outlet', () => {
    for (const o of result.outlets) {
      expect(typeof o.latitude).toBe('number');
      expect(typeof o.longitude).toBe('number');
      expect(o.latitude).toBeGreaterThan(36);
      expect(o.latitude).toBeLessThan(43);
      expect(o.longitude).toBeGreaterThan(-92);
      expect(o.longitude).toBeLessThan(-87);
    }
  });

  it('recovers Oak Forest from the end of the Acorn street line', () => {
    const acorn = byKey.get('IL0002-2')!;
    expect(acorn).toMatchObject({
      name: 'Acorn Public Library District',
      street: '15624 South Central Avenue',
      city: 'Oak Forest',
      cityFromStreetLine: true,
      needsReview: false,
      reviewNote: null,
      latitude: 41.607589,
      longitude: -87.756196,
    });
  });

  it('resolves or flags each of the 100 city-in-street rows, never guessing', () => {
    expect(cityInStreet).toHaveLength(100);
    const resolved: string[] = [];
    const flagged: string[] = [];
    for (const { key: k, streetLine } of cityInStreet) {
      const o = byKey.get(k)!;
      if (o.needsReview) {
        flagged.push(streetLine);
        expect(o.city).toBeNull();
        expect(o.cityFromStreetLine).toBe(false);
        expect(o.street!.toUpperCase()).toBe(streetLine);
        expect(o.reviewNote).toContain(
          `City missing from the IMLS address; street line "${streetLine}" could not be split with certainty`,
        );
      } else {
        resolved.push(streetLine);
        expect(o.cityFromStreetLine).toBe(true);
        expect(o.reviewNote).toBeNull();
        // The street is the line with the city cut off its end.
        expect(`${o.street} ${o.city}`.toUpperCase()).toBe(streetLine);
        expect(o.street!.length).toBeLessThan(streetLine.length);
        expect(VERIFIED_STREET_LINE_CITIES).toContain(o.city);
      }
    }
    expect(resolved).toHaveLength(98);
    expect(flagged.sort()).toEqual(['3365 STATE ROUTE 3 NORTH WOLF LAKE', '651 COWDEN']);
    // None of these cities appears in a well-formed Illinois row, which is why the parser also
    // relies on the outlet's name and on street designators (see splitStreetLine).
    expect(
      cityInStreet.filter((r) => wellFormedCities.has(byKey.get(r.key)!.city?.toUpperCase() ?? '')),
    ).toEqual([]);
  });

  it('rejoins a city whose first word slipped onto the street line (Glen Carbon)', () => {
    expect(byKey.get('IL0638-2')).toMatchObject({
      street: '198 South Main Street',
      city: 'Glen Carbon',
      cityFromStreetLine: true,
      needsReview: false,
    });
    // an ordinary address whose city begins the library name is left alone
    expect(byKey.get('IL0074-2')).toMatchObject({ street: '405 West Main Street', city: 'Carbondale', cityFromStreetLine: false });
  });

  it('explains why Wolf Lake is flagged', () => {
    const wolfLake = result.outlets.find((o) => o.name === 'Wolf Lake Branch Library')!;
    expect(wolfLake).toMatchObject({
      city: null,
      needsReview: true,
      street: '3365 State Route 3 North Wolf Lake',
    });
    expect(wolfLake.reviewNote).toMatch(
      /^City missing from the IMLS address; street line "3365 STATE ROUTE 3 NORTH WOLF LAKE" could not be split with certainty \(.+\)$/,
    );
  });

  it('flags a well-formed-looking city line that was split at the wrong word', () => {
    const evansville = result.outlets.filter((o) => o.reviewNote?.includes('A EVANSVILLE'));
    expect(evansville).toHaveLength(1);
    expect(evansville[0]).toMatchObject({
      city: null,
      needsReview: true,
      street: '701 South Oak Street',
    });
  });

  it('flags exactly the two unresolved street lines and the misaligned city line', () => {
    expect(result.outlets.filter((o) => o.needsReview)).toHaveLength(3);
  });

  it('filters by state', () => {
    expect(parseImlsCsv(illinoisCsv, { state: 'IL' }).outlets).toHaveLength(800);
    expect(parseImlsCsv(illinoisCsv, { state: 'il' }).outlets).toHaveLength(800);
    expect(parseImlsCsv(illinoisCsv, { state: 'WI' }).outlets).toHaveLength(0);
  });
});

describe('parseImlsCsv on the all-states FY2015 outlet file', () => {
  const allCsv = readFileSync(ALL_STATES, 'utf8');

  it('parses all 17,408 data rows, reporting the 3 books-by-mail (BM) rows as errors', () => {
    const { outlets, errors } = parseImlsCsv(allCsv);
    expect(outlets).toHaveLength(17405);
    expect(errors).toHaveLength(3);
    for (const e of errors) expect(e.message).toMatch(/unsupported OUTLET TYPE "BM"/);
    expect(errors.map((e) => e.line)).toEqual([2216, 25972, 39877]);
    expect(new Set(outlets.map((o) => o.state)).size).toBe(53);
  });

  it('returns the same 800 Illinois outlets with the IL filter', () => {
    const { outlets, errors } = parseImlsCsv(allCsv, { state: 'IL' });
    expect(errors).toEqual([]);
    expect(outlets).toHaveLength(800);
    expect(outlets).toEqual(parseImlsCsv(illinoisCsv).outlets);
  });
});

describe('parseImlsCsv on malformed input', () => {
  // The Illinois file ends records with CRLF and breaks LOCATION with LF; the fixtures use LF.
  const header = illinoisCsv.split(/\r?\n/)[0];

  it('gives the file line of a bad record in the CRLF Illinois file', () => {
    const csv = illinoisCsv.replace(/(IL,IL0003,2,[^]*?",\d+,\d+,)CE/, '$1XX');
    expect(parseImlsCsv(csv).errors).toEqual([
      { line: 8, message: 'IL0003-2: unsupported OUTLET TYPE "XX"' },
    ]);
  });

  it('reports rows it cannot represent with their line numbers and keeps the rest', () => {
    const csv = [
      header,
      'IL,IL9,2,X,A LIBRARY,A LIBRARY,,KNOX,"1 ELM STREET',
      'GALESBURG, IL',
      '(40.9, -90.3)",33,1,CE,-3,0,2000,52,NO,0,0,0',
      '',
      'IL,IL9,3,X,B,A LIBRARY,,KNOX,"2 ELM STREET\nGALESBURG, IL\n(40.9, -90.3)",33,1,XX,100,0,10,52,NO,0,0,0',
      'IL,IL9',
    ].join('\n');
    const { outlets, errors } = parseImlsCsv(csv);
    expect(outlets).toHaveLength(1);
    expect(outlets[0]).toMatchObject({
      city: 'Galesburg',
      squareFeet: null,
      hoursPerYear: 2000,
      phone: null,
    });
    expect(errors).toEqual([
      { line: 6, message: 'IL9-3: unsupported OUTLET TYPE "XX"' },
      { line: 9, message: 'expected 20 fields, found 2' },
    ]);
  });

  it('reports missing columns instead of throwing', () => {
    expect(parseImlsCsv('STATE,FSCS ID\nIL,IL1\n').errors[0].message).toMatch(/missing columns/);
    expect(parseImlsCsv('STATE,"FSCS ID\nIL').errors[0].message).toMatch(/CSV could not be read/);
  });
});

describe('splitStreetLine', () => {
  const ctx = (county: string, cities: Record<string, string[]> = {}, names: string[] = []) => ({
    county,
    names,
    knownCities: {
      counties: new Map(
        Object.entries(cities).map(([city, counties]) => [city, new Set(counties)]),
      ),
    },
  });

  it('prefers the longest known city', () => {
    expect(
      splitStreetLine(
        '100 BROADWAY OAK FOREST',
        ctx('COOK', { 'OAK FOREST': ['COOK'], FOREST: ['COOK'] }),
      ),
    ).toEqual({
      ok: true,
      street: '100 BROADWAY',
      city: 'OAK FOREST',
      evidence: 'known-city',
    });
  });

  it('refuses when a longer match is only known in another county', () => {
    const split = splitStreetLine(
      '100 MAIN ST WEST CHICAGO',
      ctx('COOK', { 'WEST CHICAGO': ['DUPAGE'], CHICAGO: ['COOK'] }),
    );
    expect(split.ok).toBe(false);
  });

  it('refuses one-word cities that are common street words', () => {
    expect(splitStreetLine('100 ELM STREET NORTH', ctx('COOK')).ok).toBe(false);
    expect(splitStreetLine('100 OAK AVENUE PARK', ctx('COOK', { PARK: ['COOK'] })).ok).toBe(false);
  });

  it('refuses when name or known city and street structure disagree', () => {
    expect(
      splitStreetLine('12 ELM DRIVE LAKE FOREST', ctx('LAKE', {}, ['FOREST BRANCH LIBRARY'])).ok,
    ).toBe(false);
  });

  it('refuses when only a house number would remain', () => {
    expect(splitStreetLine('651 COWDEN', ctx('SHELBY', { COWDEN: ['SHELBY'] })).ok).toBe(false);
  });

  it('uses the library name, ignoring spaces', () => {
    expect(
      splitStreetLine(
        '555 NORTH LA GRANGE ROAD LA GRANGE PARK',
        ctx('COOK', {}, ['LAGRANGE PARK PUBLIC LIBRARY DISTRICT']),
      ),
    ).toMatchObject({ ok: true, city: 'LA GRANGE PARK', evidence: 'library-name' });
  });
});

describe('libraryCase', () => {
  it.each([
    ['BEMENT PUBLIC LIBRARY DISTRICT', 'Bement Public Library District'],
    ['C.E. BREHM MEMORIAL PUBLIC LIBRARY DISTRICT', 'C.E. Brehm Memorial Public Library District'],
    ['MCLEANSBORO', 'McLeansboro'],
    ['BRYAN-BENNETT LIBRARY', 'Bryan-Bennett Library'],
    ["O'FALLON PUBLIC LIBRARY", "O'Fallon Public Library"],
    ['W CENTRAL RD', 'W Central Rd'],
    ['7816 WEST 65TH PLACE', '7816 West 65th Place'],
    ['3479 WEST 183RD STREET', '3479 West 183rd Street'],
    [
      'THE LIBRARY OF THE CITY AND COUNTY AT THE FORKS IN THE ROAD FOR ALL ON TIME',
      'The Library of the City and County at the Forks in the Road for All on Time',
    ],
    ['PO BOX 12', 'PO Box 12'],
    ['US HIGHWAY 24', 'US Highway 24'],
    ['IL ROUTE 3', 'IL Route 3'],
    ['HENRY II LIBRARY', 'Henry II Library'],
    ['LOUIS XIV BRANCH', 'Louis XIV Branch'],
    ['RAILS LLSAP MEMBER', 'Rails LLSAP Member'],
    ['MLK JR DRIVE', 'MLK Jr Drive'],
    ['2S101 HARTER ROAD', '2S101 Harter Road'],
    ["ST. JOHN'S CHURCH", "St. John's Church"],
    ['DUPAGE', 'DuPage'],
    ['  EXTRA   SPACES  ', 'Extra Spaces'],
  ])('%s -> %s', (upper, expected) => {
    expect(libraryCase(upper)).toBe(expected);
  });
});
