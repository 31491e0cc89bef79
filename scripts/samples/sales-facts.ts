/**
 * Who owns a deal, where it is sold, what it buys and which segment the account is in: the breakdown dimensions
 * of the opportunities export (docs/metrics.md, "Breakdowns"), with differences a scorecard can find:
 *
 * - reps: Kwame Mensah closes (a large share of the won deals, few of the lost); Zoë Schäfer opens many deals
 *   but closes few (a large share of the lost ones);
 * - regions: EMEA wins more than North America and APAC;
 * - products: Scorecard Enterprise is bought in the bigger deals, Data Connectors in the small ones;
 * - segments: follow the deal size (Enterprise accounts spend more), with no win-rate difference.
 *
 * The facts are drawn from a generator of their own, seeded by the deal's id, and depend only on what the deal
 * already is (won or lost, its amount): the main simulation draws exactly what it drew before, so every other
 * sample value, and every KPI of the samples, stays as it was.
 */
import { Rng } from './random.ts';
import { type Opportunity } from './world.ts';

type Weights = readonly (readonly [string, number])[];

/** Share of the won and of the lost deals each rep holds (per cent). */
const OWNER_WEIGHTS: { readonly won: Weights; readonly lost: Weights } = {
  won: [['Dana Whitfield', 17], ['Marco Bianchi', 18], ['Zoë Schäfer', 5], ['Kwame Mensah', 26], ['Hannah Lee', 17], ['Raúl Ortega', 17]],
  lost: [['Dana Whitfield', 15], ['Marco Bianchi', 15], ['Zoë Schäfer', 28], ['Kwame Mensah', 10], ['Hannah Lee', 16], ['Raúl Ortega', 16]],
};

const REGION_WEIGHTS: { readonly won: Weights; readonly lost: Weights } = {
  won: [['North America', 30], ['EMEA', 58], ['APAC', 12]],
  lost: [['North America', 52], ['EMEA', 25], ['APAC', 23]],
};

/** Products by deal size: the enterprise edition in the big deals, the connectors add-on in the small ones. */
function productWeights(amount: number): Weights {
  if (amount >= 11_000) return [['Scorecard Enterprise', 70], ['Scorecard Cloud', 30]];
  if (amount < 5_000) return [['Data Connectors', 60], ['Scorecard Cloud', 40]];
  return [['Scorecard Cloud', 76], ['Scorecard Enterprise', 12], ['Data Connectors', 12]];
}

function segmentWeights(amount: number): Weights {
  if (amount >= 12_000) return [['Enterprise', 65], ['Mid-Market', 30], ['SMB', 5]];
  if (amount < 5_000) return [['SMB', 65], ['Mid-Market', 30], ['Enterprise', 5]];
  return [['Mid-Market', 55], ['SMB', 25], ['Enterprise', 20]];
}

/**
 * Prefixed to each deal's id for its seed. The weights above set what is true of the reps, regions and products;
 * which draw of them the samples show is chance, and a draw can also show a difference nobody designed (a product
 * winning more by luck). This prefix picks a draw whose October scorecard shows the designed differences and no
 * chance one: the samples exist to demonstrate the email, not to test the statistics (the tests do that).
 */
const SEED_PREFIX = 'k';

/** FNV-1a of the id: a seed per deal, the same on every run. */
function seedOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Sets each deal's owner, region, product and segment. */
export function assignSalesFacts(opportunities: readonly Opportunity[]): void {
  for (const o of opportunities) {
    const rng = new Rng(seedOf(`${SEED_PREFIX}${o.id}`));
    o.owner = rng.weighted(OWNER_WEIGHTS[o.outcome]);
    o.region = rng.weighted(REGION_WEIGHTS[o.outcome]);
    o.product = rng.weighted(productWeights(o.amount));
    o.segment = rng.weighted(segmentWeights(o.amount));
  }
}
