#!/usr/bin/env python3
"""Verify every recurring series in src/seed/demo-data.ts.

For each series (recurring `events` and every networking group's `meetings`):
  1. expand the RRULE from its start through 2027-12-31 with python-dateutil, both
     zone-aware (DTSTART in America/Chicago, UNTIL in UTC, as the server and the iCal
     feeds do) and floating (naive local times);
  2. expand it with the `rrule` npm package (DTSTART as UTC-as-local, i.e. floating);
  3. build the dates the rule is meant to produce FROM ITS DESCRIPTION IN WORDS
     (an independent predicate per series below, e.g. "Thursday and not the 3rd
     Thursday of the month"), by walking every day of the range;
and requires all four to agree (after EXDATEs), the first occurrence to equal `start`,
every EXDATE to be a real occurrence (and the intended holidays), occurrence times and
durations to match start/end, and 2026-01..2027-12 to be covered.

Prints each series' first 6 dates and its count through 2027; exits 1 on any mismatch.
Needs: python-dateutil; node with node_modules (typescript, rrule) in the project root.
Run: python3 scripts/check-demo-rrules.py   (DEMO_DATA_FILE=other.ts to check another copy)
"""
import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

try:
    from dateutil import tz
    from dateutil.rrule import rrulestr
except ImportError:  # pragma: no cover
    sys.exit('python-dateutil is required (pip install python-dateutil, or apt-get install python3-dateutil)')

ROOT = Path(__file__).resolve().parent.parent
DATA_FILE = Path(os.environ.get('DEMO_DATA_FILE', ROOT / 'src' / 'seed' / 'demo-data.ts')).resolve()
ZONE = tz.gettz('America/Chicago')
RANGE_END = dt.datetime(2027, 12, 31, 23, 59, 59)
COVER_FROM, COVER_TO = (2026, 1), (2027, 12)

MO, TU, WE, TH, FR, SA, SU = range(7)
DAYNAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']

# Loads the TS module (transpiled with the project's typescript) and expands every
# series with the rrule npm package, DTSTART given as floating local time (UTC-as-local).
NODE_SCRIPT = r"""
const fs = require('fs');
const ts = require('typescript');
const { rrulestr } = require('rrule');
const src = fs.readFileSync(process.argv[1], 'utf8');
const js = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
const m = { exports: {} };
new Function('module', 'exports', 'require', js)(m, m.exports, require);
const d = m.exports;
const series = [
  ...d.events.filter((e) => e.rrule),
  ...d.networkingGroups.flatMap((g) => (g.meetings || []).map((s) => ({ ...s, groupSlug: g.slug }))),
];
const rrulejs = {};
const until = new Date(Date.UTC(2027, 11, 31, 23, 59, 59));
for (const s of series) {
  const dtstart = s.start.replace(/[-:]/g, '') + '00Z';
  const rule = rrulestr('DTSTART:' + dtstart + '\nRRULE:' + s.rrule);
  rrulejs[s.key] = rule.between(new Date(Date.UTC(1990, 0, 1)), until, true).map((x) => x.toISOString().slice(0, 16));
}
process.stdout.write(JSON.stringify({ data: d, series, rrulejs }));
"""


def load():
    out = subprocess.run(['node', '-e', NODE_SCRIPT, str(DATA_FILE)], cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit('node failed to load demo data:\n' + out.stderr)
    return json.loads(out.stdout)


def nth(d):
    """1-based week-of-month index of a weekday (1st, 2nd, ... 5th)."""
    return (d.day - 1) // 7 + 1


def thanksgiving(d):
    return d.month == 11 and d.weekday() == TH and nth(d) == 4


def winter_holiday_thursday(d):
    return d.month == 12 and d.day >= 23 and d.weekday() == TH


def D(s):
    return dt.date.fromisoformat(s)


# The rules in words, written independently of the RRULE strings.
INTENDED = {
    'extra-credit-2026': dict(
        words='first Thursday of each month during the school year (Aug-May), 3:30-4:30 p.m.',
        pred=lambda d: d.weekday() == TH and nth(d) == 1 and d.month not in (6, 7),
        # 2026-01-01 is New Year's Day: the series starts with the February session.
        start_from=D('2026-02-01'), times=('15:30', '16:30'), per_year_2027=10),
    'directors-chats-2026': dict(
        words='every Thursday except third Thursdays (fifth Thursdays included), 1-2 p.m.; no chat on Thanksgiving or Thursdays Dec 23-31',
        pred=lambda d: d.weekday() == TH and nth(d) != 3,
        start_from=D('2026-01-02'),  # not on New Year's Day
        exdates=lambda d: thanksgiving(d) or winter_holiday_thursday(d),
        times=('13:00', '14:00')),
    'third-thursday-ce-2026': dict(
        words='third Thursday of every month, 10-11:30 a.m.',
        pred=lambda d: d.weekday() == TH and nth(d) == 3,
        start_from=D('2026-01-01'), times=('10:00', '11:30'), per_year_2027=12),
    'members-matter-2026': dict(
        words='third Thursday of every month, immediately after Third Thursday CE (11:30 a.m.-12:30 p.m.)',
        pred=lambda d: d.weekday() == TH and nth(d) == 3,
        start_from=D('2026-01-01'), times=('11:30', '12:30'), per_year_2027=12),
    'adult-services-forum-2026': dict(
        words='quarterly: first Wednesday of Jan, Apr, Jul, Oct',
        pred=lambda d: d.weekday() == WE and nth(d) == 1 and d.month in (1, 4, 7, 10),
        start_from=D('2026-01-01'), times=('10:00', '11:30'), per_year_2027=4),
    'free-form-free-for-all-2026': dict(
        words='quarterly: second Friday of Feb, May, Aug, Nov',
        pred=lambda d: d.weekday() == FR and nth(d) == 2 and d.month in (2, 5, 8, 11),
        start_from=D('2026-01-01'), times=('10:00', '11:30'), per_year_2027=4),
    'local-history-genealogy-forum-2026': dict(
        words='quarterly on Zoom: second Tuesday of Mar, Jun, Sep, Dec',
        pred=lambda d: d.weekday() == TU and nth(d) == 2 and d.month in (3, 6, 9, 12),
        start_from=D('2026-01-01'), times=('14:00', '15:00'), per_year_2027=4),
    'medium-pubs-2026': dict(
        words='quarterly: second Wednesday of Jan, Apr, Jul, Oct',
        pred=lambda d: d.weekday() == WE and nth(d) == 2 and d.month in (1, 4, 7, 10),
        start_from=D('2026-01-01'), times=('10:00', '12:00'), per_year_2027=4),
    'mepl-2026': dict(
        words='third Thursday of even-numbered months',
        pred=lambda d: d.weekday() == TH and nth(d) == 3 and d.month % 2 == 0,
        start_from=D('2026-01-01'), times=('14:00', '15:30'), per_year_2027=6),
    'northern-directors-2026': dict(
        words='third Wednesday monthly except June-August',
        pred=lambda d: d.weekday() == WE and nth(d) == 3 and d.month not in (6, 7, 8),
        start_from=D('2026-01-01'), times=('10:00', '11:30'), per_year_2027=9),
    'small-pubs-2026': dict(
        words='quarterly on second Tuesdays (Jan, Apr, Jul, Oct) through 2026',
        pred=lambda d: d.weekday() == TU and nth(d) == 2 and d.month in (1, 4, 7, 10),
        start_from=D('2026-01-01'), through=D('2026-12-31'), times=('10:00', '11:30'), per_year_2027=0),
    'small-pubs-2027': dict(
        words='quarterly on second Wednesdays (Jan, Apr, Jul, Oct) from January 2027',
        pred=lambda d: d.weekday() == WE and nth(d) == 2 and d.month in (1, 4, 7, 10),
        start_from=D('2027-01-01'), times=('10:00', '11:30'), per_year_2027=4),
    'perry-randolph-2026': dict(
        words='quarterly: third Tuesday of Feb, May, Aug, Nov',
        pred=lambda d: d.weekday() == TU and nth(d) == 3 and d.month in (2, 5, 8, 11),
        start_from=D('2026-01-01'), times=('10:00', '11:30'), per_year_2027=4),
    'south-central-directors-2026': dict(
        words='bi-monthly (every other month): second Monday of Jan, Mar, May, Jul, Sep, Nov',
        pred=lambda d: d.weekday() == MO and nth(d) == 2 and d.month % 2 == 1,
        start_from=D('2026-01-01'), times=('10:00', '12:00'), per_year_2027=6),
    'sways-2026': dict(
        words='third Wednesday monthly except June-August',
        pred=lambda d: d.weekday() == WE and nth(d) == 3 and d.month not in (6, 7, 8),
        start_from=D('2026-01-01'), times=('09:30', '11:00'), per_year_2027=9),
}

# Every IHLS regional group must have meetings (2026-01 .. 2027-12).
REGIONAL_GROUPS_WITH_MEETINGS = {
    'adult-services-forum', 'free-form-free-for-all', 'local-history-genealogy-forum', 'medium-pubs',
    'mepl-metro-east-public-library-management', 'northern-directors', 'small-pubs', 'perry-randolph-ccdg',
    'south-central-directors', 'sways',
}


def parse_local(s):
    return dt.datetime.strptime(s, '%Y-%m-%dT%H:%M')


def fmt(d):
    return d.strftime('%Y-%m-%dT%H:%M')


def expand_aware(s):
    start = parse_local(s['start']).replace(tzinfo=ZONE)
    rule = rrulestr(s['rrule'], dtstart=start)
    end = RANGE_END.replace(tzinfo=ZONE)
    out = []
    for occ in rule:
        if occ > end:
            break
        out.append(fmt(occ.astimezone(ZONE).replace(tzinfo=None)))
    return out


def expand_floating(s):
    rr = s['rrule']
    m = re.search(r'UNTIL=(\d{8}T\d{6})Z', rr)
    if m:  # the UTC UNTIL expressed as local wall time for a floating expansion
        u = dt.datetime.strptime(m.group(1), '%Y%m%dT%H%M%S').replace(tzinfo=dt.timezone.utc)
        rr = rr.replace(m.group(0), 'UNTIL=' + u.astimezone(ZONE).strftime('%Y%m%dT%H%M%S'))
    rule = rrulestr(rr, dtstart=parse_local(s['start']))
    return [fmt(o) for o in rule.between(dt.datetime(1990, 1, 1), RANGE_END, inc=True)]


def intended_dates(s, spec):
    t = spec['times'][0]
    d = spec['start_from']
    last = min(spec.get('through', RANGE_END.date()), RANGE_END.date())
    out = []
    while d <= last:
        if spec['pred'](d):
            out.append(f'{d.isoformat()}T{t}')
        d += dt.timedelta(days=1)
    return out


def main():
    loaded = load()
    series, rrulejs = loaded['series'], loaded['rrulejs']
    errors = []
    months_covered = set()
    keys_seen = set()
    by_key = {}

    def err(key, msg):
        errors.append(f'{key}: {msg}')

    for s in series:
        key = s['key']
        by_key[key] = s
        if key in keys_seen:
            err(key, 'duplicate series key')
        keys_seen.add(key)
        spec = INTENDED.get(key)
        print(f"\n== {key}  [{s.get('groupSlug', 'event')}]")
        print(f"   RRULE {s['rrule']}")
        if spec is None:
            err(key, 'no intended rule description in INTENDED (add one)')
            continue
        print(f"   words: {spec['words']}")

        # format checks
        for f in ('start', 'end'):
            if not re.fullmatch(r'\d{4}-\d\d-\d\dT\d\d:\d\d', s[f]):
                err(key, f'{f} {s[f]!r} is not local YYYY-MM-DDTHH:mm')
        if s['rrule'].upper().startswith('RRULE:'):
            err(key, "rrule must not start with 'RRULE:'")
        for m in re.finditer(r'UNTIL=([^;]+)', s['rrule']):
            if not re.fullmatch(r'\d{8}T\d{6}Z', m.group(1)):
                err(key, f'UNTIL {m.group(1)} is not UTC YYYYMMDDTHHMMSSZ')
        st, en = parse_local(s['start']), parse_local(s['end'])
        if (s['start'][11:], s['end'][11:]) != spec['times']:
            err(key, f"times {s['start'][11:]}-{s['end'][11:]} != intended {spec['times']}")
        if not (en > st and en.date() == st.date()):
            err(key, 'end must be after start on the same day')

        aware = expand_aware(s)
        floating = expand_floating(s)
        js = rrulejs.get(key, [])
        if aware != floating:
            err(key, f'dateutil zone-aware and floating expansions differ: {sorted(set(aware) ^ set(floating))[:6]}')
        if aware != js:
            err(key, f'dateutil and rrule.js differ: only dateutil {sorted(set(aware) - set(js))[:6]}, only rrule.js {sorted(set(js) - set(aware))[:6]}')
        if not aware or aware[0] != s['start']:
            err(key, f"first expanded occurrence {aware[:1]} != start {s['start']}")

        exdates = s.get('exdates') or []
        for x in exdates:
            if x not in aware:
                err(key, f'EXDATE {x} is not an occurrence of the rule')
        if s['start'] in exdates:
            err(key, 'start must not be an EXDATE')
        effective = [o for o in aware if o not in set(exdates)]

        wanted_ex = spec.get('exdates')
        if wanted_ex:
            intended_ex = [o for o in intended_dates(s, {**spec, 'pred': lambda d: spec['pred'](d) and wanted_ex(d)})]
            if sorted(exdates) != intended_ex:
                err(key, f'EXDATEs {sorted(exdates)} != intended holidays {intended_ex}')
        elif exdates:
            err(key, f'unexpected EXDATEs {exdates}')

        intended = [o for o in intended_dates(s, spec) if o not in set(exdates)]
        if effective != intended:
            err(key, f'rule does not match the words: only RRULE {sorted(set(effective) - set(intended))[:6]}, only words {sorted(set(intended) - set(effective))[:6]}')

        if 'per_year_2027' in spec:
            n27 = sum(1 for o in effective if o.startswith('2027-'))
            if n27 != spec['per_year_2027']:
                err(key, f"{n27} occurrences in 2027, expected {spec['per_year_2027']}")

        for o in effective:
            months_covered.add((int(o[:4]), int(o[5:7])))

        first6 = ', '.join(f"{o[:10]} {DAYNAMES[parse_local(o).weekday()]} {o[11:]}" for o in effective[:6])
        print(f'   first 6: {first6}')
        print(f'   count through 2027-12-31: {len(effective)} (exdates skipped: {len(exdates)}); '
              f'last: {effective[-1] if effective else None}; dateutil==rrule.js: {aware == js}')

    # every intended series is present
    for key in INTENDED:
        if key not in by_key:
            err(key, 'series missing from demo data')

    # Members Matter immediately follows Third Thursday CE
    ttce, mm = by_key.get('third-thursday-ce-2026'), by_key.get('members-matter-2026')
    if ttce and mm and (ttce['end'] != mm['start'] or ttce['rrule'] != mm['rrule']):
        err('members-matter-2026', 'must start when Third Thursday CE ends, on the same rule')

    # Small Pubs schedule change: the 2026 series stops before the 2027 series starts
    sp26, sp27 = by_key.get('small-pubs-2026'), by_key.get('small-pubs-2027')
    if sp26 and sp27:
        a = expand_aware(sp26)
        if not a or a[-1] >= sp27['start'] or 'UNTIL=' not in sp26['rrule']:
            err('small-pubs', 'the 2026 series must end (UNTIL) before the 2027 series starts')

    # each regional group has meetings from early 2026 into late 2027
    groups = {s['groupSlug'] for s in series if 'groupSlug' in s}
    for g in sorted(REGIONAL_GROUPS_WITH_MEETINGS - groups):
        err(g, 'regional group has no meeting series')
    for g in sorted(groups):
        occ = sorted(o for s in series if s.get('groupSlug') == g
                     for o in expand_aware(s) if o not in set(s.get('exdates') or []))
        if not occ or occ[0] > '2026-03-31' or occ[-1] < '2027-09-01':
            err(g, f'meetings should span 2026-Q1 .. 2027-Q4 (first {occ[:1]}, last {occ[-1:]})')

    # calendar coverage 2026-01 .. 2027-12
    y, m = COVER_FROM
    while (y, m) <= COVER_TO:
        if (y, m) not in months_covered:
            err('coverage', f'no series occurrence in {y}-{m:02d}')
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)

    print(f'\n{len(series)} series checked; months covered 2026-01..2027-12: '
          f'{sum(1 for ym in months_covered if COVER_FROM <= ym <= COVER_TO)}/24')
    if errors:
        print('\nMISMATCHES:')
        for e in errors:
            print('  - ' + e)
        sys.exit(1)
    print('ALL RRULES OK (dateutil zone-aware == dateutil floating == rrule.js == rule in words)')


if __name__ == '__main__':
    main()
