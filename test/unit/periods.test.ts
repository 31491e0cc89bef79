import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  PeriodError, dayToIsoDate, inPeriod, isoDateToDay, lastClosedPeriod, localDayNumber, parsePeriodId, periodContaining, periodDays,
  periodLabel, periodRange, previousPeriod, samePeriodLastYear, toLocalDate,
} from '../../lambdas/domain/periods/period.ts';

describe('parsePeriodId', () => {
  it('reads a month, a quarter and an ISO week as local date ranges [start, end)', () => {
    expect(parsePeriodId('2026-10')).toEqual({ type: 'month', id: '2026-10', startDate: '2026-10-01', endDate: '2026-11-01' });
    expect(parsePeriodId('2026-12')).toEqual({ type: 'month', id: '2026-12', startDate: '2026-12-01', endDate: '2027-01-01' });
    expect(parsePeriodId('2024-02')).toMatchObject({ startDate: '2024-02-01', endDate: '2024-03-01' });
    expect(parsePeriodId('2026-Q4')).toEqual({ type: 'quarter', id: '2026-Q4', startDate: '2026-10-01', endDate: '2027-01-01' });
    expect(parsePeriodId('2026-Q1')).toMatchObject({ startDate: '2026-01-01', endDate: '2026-04-01' });
    expect(parsePeriodId('2026-W43')).toEqual({ type: 'week', id: '2026-W43', startDate: '2026-10-19', endDate: '2026-10-26' });
  });

  it('starts ISO week 1 on the Monday of the week with the year\'s first Thursday', () => {
    expect(parsePeriodId('2025-W01')).toMatchObject({ startDate: '2024-12-30', endDate: '2025-01-06' });
    expect(parsePeriodId('2026-W01')).toMatchObject({ startDate: '2025-12-29', endDate: '2026-01-05' });
    expect(parsePeriodId('2021-W01')).toMatchObject({ startDate: '2021-01-04' });
  });

  it('accepts week 53 only in years that have one', () => {
    // 2020 (a leap year starting on Wednesday) and 2026 (starting on Thursday) have 53 ISO weeks.
    expect(parsePeriodId('2020-W53')).toMatchObject({ id: '2020-W53', startDate: '2020-12-28', endDate: '2021-01-04' });
    expect(parsePeriodId('2026-W53')).toMatchObject({ id: '2026-W53', startDate: '2026-12-28', endDate: '2027-01-04' });
    for (const id of ['2025-W53', '2027-W53', '2024-W53']) expect(() => parsePeriodId(id)).toThrow(PeriodError);
  });

  it.each(['2026-13', '2026-00', '2026-Q5', '2026-Q0', '2026-W00', '2026-W54', '2026-10-01', 'October 2026', '26-10', ''])(
    'rejects %j with a PeriodError',
    (id) => {
      expect(() => parsePeriodId(id)).toThrow(PeriodError);
    },
  );
});

describe('periodContaining', () => {
  it('finds the month, quarter and week of a local date', () => {
    expect(periodContaining('month', '2026-10-31').id).toBe('2026-10');
    expect(periodContaining('quarter', '2026-11-15').id).toBe('2026-Q4');
    expect(periodContaining('quarter', '2026-03-31').id).toBe('2026-Q1');
    expect(periodContaining('week', '2026-10-25').id).toBe('2026-W43'); // a Sunday ends its ISO week
    expect(periodContaining('week', '2026-10-26').id).toBe('2026-W44');
  });

  it('puts dates near New Year in the right ISO week-year', () => {
    expect(periodContaining('week', '2024-12-30')).toMatchObject({ id: '2025-W01', startDate: '2024-12-30' });
    expect(periodContaining('week', '2027-01-01')).toMatchObject({ id: '2026-W53', startDate: '2026-12-28' });
    expect(periodContaining('week', '2021-01-03').id).toBe('2020-W53');
    expect(periodContaining('week', '2023-01-01').id).toBe('2022-W52');
  });

  it('round-trips with parsePeriodId', () => {
    for (const id of ['2026-10', '2026-Q4', '2026-W43', '2025-W01', '2020-W53']) {
      const p = parsePeriodId(id);
      expect(periodContaining(p.type, p.startDate)).toEqual(p);
    }
  });

  it('rejects a date that does not exist', () => {
    expect(() => periodContaining('month', '2026-02-30')).toThrow(PeriodError);
  });
});

describe('inPeriod', () => {
  it('includes the start date and excludes the end date', () => {
    const p = parsePeriodId('2026-10');
    expect(inPeriod(p, '2026-10-01')).toBe(true);
    expect(inPeriod(p, '2026-10-31')).toBe(true);
    expect(inPeriod(p, '2026-11-01')).toBe(false);
    expect(inPeriod(p, '2026-09-30')).toBe(false);
  });
});

describe('previousPeriod and samePeriodLastYear', () => {
  it('steps back one period, across year ends', () => {
    expect(previousPeriod(parsePeriodId('2026-01')).id).toBe('2025-12');
    expect(previousPeriod(parsePeriodId('2026-03')).id).toBe('2026-02');
    expect(previousPeriod(parsePeriodId('2026-Q1')).id).toBe('2025-Q4');
    expect(previousPeriod(parsePeriodId('2026-W01')).id).toBe('2025-W52');
    expect(previousPeriod(parsePeriodId('2021-W01')).id).toBe('2020-W53');
    expect(previousPeriod(parsePeriodId('2027-W01')).id).toBe('2026-W53');
  });

  it('steps back n periods', () => {
    expect(previousPeriod(parsePeriodId('2026-10'), 12).id).toBe('2025-10');
    expect(previousPeriod(parsePeriodId('2026-10'), 22).id).toBe('2024-12');
    expect(previousPeriod(parsePeriodId('2026-Q4'), 4).id).toBe('2025-Q4');
  });

  it('finds the same period a year before', () => {
    expect(samePeriodLastYear(parsePeriodId('2026-10')).id).toBe('2025-10');
    expect(samePeriodLastYear(parsePeriodId('2024-02')).id).toBe('2023-02');
    expect(samePeriodLastYear(parsePeriodId('2026-Q4')).id).toBe('2025-Q4');
    expect(samePeriodLastYear(parsePeriodId('2026-W43')).id).toBe('2025-W43');
  });

  it('finds the same ISO week number after a 53-week year, and the last week when week 53 has no match', () => {
    expect(samePeriodLastYear(parsePeriodId('2021-W10')).id).toBe('2020-W10');
    expect(samePeriodLastYear(parsePeriodId('2021-W01')).id).toBe('2020-W01');
    expect(samePeriodLastYear(parsePeriodId('2026-W53')).id).toBe('2025-W52');
  });
});

describe('lastClosedPeriod', () => {
  it('at 06:00 on the 1st, local time, is the month that just ended, in every zone', () => {
    expect(lastClosedPeriod('month', new Date('2026-11-01T05:00:00Z'), 'Europe/Paris').id).toBe('2026-10');
    // 1 November 2026 is also the day Los Angeles leaves daylight saving time: 06:00 PST is 14:00 UTC.
    expect(lastClosedPeriod('month', new Date('2026-11-01T14:00:00Z'), 'America/Los_Angeles').id).toBe('2026-10');
    expect(lastClosedPeriod('month', new Date('2026-10-31T21:00:00Z'), 'Asia/Tokyo').id).toBe('2026-10');
  });

  it('depends on the zone for one instant', () => {
    const now = new Date('2026-11-01T05:00:00Z');
    expect(lastClosedPeriod('month', now, 'Europe/Paris').id).toBe('2026-10'); // 06:00 on 1 November
    expect(lastClosedPeriod('month', now, 'America/Los_Angeles').id).toBe('2026-09'); // 22:00 on 31 October
    expect(lastClosedPeriod('month', now, 'Asia/Tokyo').id).toBe('2026-10'); // 14:00 on 1 November
    expect(lastClosedPeriod('month', now, 'UTC').id).toBe('2026-10');
  });

  it('works for quarters and weeks', () => {
    expect(lastClosedPeriod('quarter', new Date('2027-01-01T05:00:00Z'), 'Europe/Paris').id).toBe('2026-Q4');
    expect(lastClosedPeriod('quarter', new Date('2027-01-01T04:59:00Z'), 'America/New_York').id).toBe('2026-Q3'); // 23:59 EST
    expect(lastClosedPeriod('week', new Date('2026-10-26T05:00:00Z'), 'Europe/Paris').id).toBe('2026-W43');
    expect(lastClosedPeriod('week', new Date('2027-01-04T06:00:00Z'), 'UTC').id).toBe('2026-W53');
  });
});

describe('periodRange', () => {
  it('lists periods oldest first, both ends included', () => {
    const r = periodRange(parsePeriodId('2025-11'), parsePeriodId('2026-10'));
    expect(r.map((p) => p.id)).toEqual([
      '2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10',
    ]);
    expect(periodRange(parsePeriodId('2020-W52'), parsePeriodId('2021-W02')).map((p) => p.id)).toEqual(['2020-W52', '2020-W53', '2021-W01', '2021-W02']);
    expect(periodRange(parsePeriodId('2026-Q4'), parsePeriodId('2026-Q4')).map((p) => p.id)).toEqual(['2026-Q4']);
  });

  it('rejects mixed types and reversed ends', () => {
    expect(() => periodRange(parsePeriodId('2026-Q1'), parsePeriodId('2026-10'))).toThrow(PeriodError);
    expect(() => periodRange(parsePeriodId('2026-10'), parsePeriodId('2026-01'))).toThrow(PeriodError);
  });
});

describe('periodLabel', () => {
  it('says the period in words', () => {
    expect(periodLabel(parsePeriodId('2026-10'))).toBe('October 2026');
    expect(periodLabel(parsePeriodId('2026-Q4'))).toBe('Q4 2026');
    expect(periodLabel(parsePeriodId('2026-W43'))).toBe('Week 43, 2026');
    expect(periodLabel(parsePeriodId('2025-W01'))).toBe('Week 1, 2025');
  });
});

describe('toLocalDate', () => {
  it('keeps local dates and date-times as they are, and a month as its first day', () => {
    expect(toLocalDate('2026-10-31', 'Asia/Tokyo')).toBe('2026-10-31');
    expect(toLocalDate('2026-10-31T23:30:00', 'Asia/Tokyo')).toBe('2026-10-31');
    expect(toLocalDate('2026-10', 'America/Los_Angeles')).toBe('2026-10-01');
  });

  it('sees UTC instants near midnight on the right local day, east and west of UTC', () => {
    expect(toLocalDate('2026-10-31T15:30:00Z', 'Asia/Tokyo')).toBe('2026-11-01'); // 00:30 JST
    expect(toLocalDate('2026-10-31T14:59:59Z', 'Asia/Tokyo')).toBe('2026-10-31'); // 23:59:59 JST
    expect(toLocalDate('2026-10-01T03:00:00Z', 'America/Los_Angeles')).toBe('2026-09-30'); // 20:00 PDT
    expect(toLocalDate('2026-10-01T07:00:00Z', 'America/Los_Angeles')).toBe('2026-10-01'); // 00:00 PDT
    expect(toLocalDate('2026-10-31T23:30:00Z', 'UTC')).toBe('2026-10-31');
  });

  it('follows the spring DST change in Europe/Paris (29 March 2026)', () => {
    expect(toLocalDate('2026-03-28T23:30:00Z', 'Europe/Paris')).toBe('2026-03-29'); // 00:30 CET
    expect(toLocalDate('2026-03-28T22:59:59Z', 'Europe/Paris')).toBe('2026-03-28'); // 23:59:59 CET
    expect(toLocalDate('2026-03-29T21:59:59Z', 'Europe/Paris')).toBe('2026-03-29'); // 23:59:59 CEST
    expect(toLocalDate('2026-03-29T22:00:00Z', 'Europe/Paris')).toBe('2026-03-30'); // 00:00 CEST
  });

  it('follows the autumn DST change in America/New_York (1 November 2026)', () => {
    expect(toLocalDate('2026-11-01T03:59:59Z', 'America/New_York')).toBe('2026-10-31'); // 23:59:59 EDT
    expect(toLocalDate('2026-11-01T04:00:00Z', 'America/New_York')).toBe('2026-11-01'); // 00:00 EDT
    expect(toLocalDate('2026-11-02T04:30:00Z', 'America/New_York')).toBe('2026-11-01'); // 23:30 EST
    expect(toLocalDate('2026-11-02T05:00:00Z', 'America/New_York')).toBe('2026-11-02'); // 00:00 EST
  });
});

describe('local day numbers', () => {
  const ZONES = ['UTC', 'Europe/Paris', 'America/Los_Angeles', 'Asia/Tokyo', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham', 'Pacific/Apia'];

  it('agree with luxon for any instant in any zone, half-hour and 45-minute offsets and DST included', () => {
    const instant = fc.integer({ min: Date.UTC(1990, 0, 1) / 1000, max: Date.UTC(2040, 0, 1) / 1000 })
      .map((s) => new Date(s * 1000).toISOString().slice(0, 19) + 'Z');
    fc.assert(fc.property(instant, fc.constantFrom(...ZONES), (v, zone) => {
      expect(toLocalDate(v, zone)).toBe(DateTime.fromISO(v, { zone: 'utc' }).setZone(zone).toISODate());
    }), { numRuns: 2000 });
  });

  it('agree with luxon on every minute around a DST change', () => {
    for (const [zone, from] of [['Europe/Paris', '2026-10-25T00:00:00Z'], ['America/New_York', '2026-03-08T05:00:00Z'], ['Australia/Lord_Howe', '2026-04-04T14:00:00Z']] as const) {
      for (let m = 0; m < 240; m++) {
        const v = new Date(Date.parse(from) + m * 60_000).toISOString().slice(0, 19) + 'Z';
        expect(toLocalDate(v, zone), `${v} ${zone}`).toBe(DateTime.fromISO(v, { zone: 'utc' }).setZone(zone).toISODate());
      }
    }
  });

  it('count days from 1970-01-01 and round-trip', () => {
    expect(isoDateToDay('1970-01-01')).toBe(0);
    expect(isoDateToDay('2026-10-01')).toBe(Date.UTC(2026, 9, 1) / 86_400_000);
    expect(localDayNumber('2026-10', 'Asia/Tokyo')).toBe(isoDateToDay('2026-10-01'));
    expect(localDayNumber('2026-10-31T23:30:00', 'Asia/Tokyo')).toBe(isoDateToDay('2026-10-31'));
    for (let d = -25_000; d < 50_000; d += 37) expect(isoDateToDay(dayToIsoDate(d))).toBe(d);
    expect(periodDays(parsePeriodId('2026-W43'))).toEqual({ startDay: isoDateToDay('2026-10-19'), endDay: isoDateToDay('2026-10-26') });
  });
});
