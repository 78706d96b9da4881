import { ratio } from '../sql';
import { count, derived, kpi, KpiSums } from './define';

// Every settled run (finished, of a known customer) is either followed by a recontact within the
// window, judged first-contact (its window passed without one), or pending (its window is still open).
const eligible = (s: KpiSums) => s.m.fcr_settled - s.m.fcr_pending;
const firstContact = (s: KpiSums) => s.m.fcr_settled - s.m.fcr_recontact - s.m.fcr_pending;

/** First-contact resolution: no new run of the same customer and flow within the window after a run ends. */
export const fcrKpis = {
  windowHours: kpi({
    id: 'fcrWindowHours',
    description: 'the first-contact window of the request (hours)',
    unit: 'hours',
    ...derived([], (s) => s.rates.fcrWindowHours),
  }),
  eligible: kpi({
    id: 'fcrEligible',
    description: 'finished runs of a known customer whose outcome is settled: a new run came, or the window passed',
    unit: 'runs',
    csv: 'fcr_eligible',
    ...derived(['fcr_settled', 'fcr_pending'], eligible),
  }),
  firstContact: kpi({
    id: 'fcrFirstContact',
    description: 'of those, runs with no new run of the same customer and flow within the window',
    unit: 'runs',
    csv: 'fcr_first_contact',
    ...derived(['fcr_settled', 'fcr_recontact', 'fcr_pending'], firstContact),
  }),
  pending: kpi({
    id: 'fcrPending',
    description: 'finished runs of a known customer still inside their window: not counted yet',
    unit: 'runs',
    csv: 'fcr_pending',
    ...count('fcr_pending'),
  }),
  rate: kpi({
    id: 'fcrRate',
    description: 'first-contact resolution (0-1)',
    unit: 'ratio',
    nullable: true,
    csv: 'fcr_rate',
    alert: { sample: 'fcrEligible' },
    ...derived(['fcr_settled', 'fcr_recontact', 'fcr_pending'], (s) => ratio(firstContact(s), eligible(s))),
  }),
};
