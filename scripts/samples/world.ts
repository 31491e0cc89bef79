/**
 * The simulated business, in memory: what the writers render into the vendor exports.
 * `simulate()` draws from one seeded Rng in a fixed order (leads and deals, customers, spend,
 * traffic), so the same seed gives the same world.
 */
import { type Event, type Webinar } from './market.ts';
import { type Company } from './people.ts';
import { Rng } from './random.ts';
import { simulateCustomers } from './simulate-customers.ts';
import { simulateLeads } from './simulate-leads.ts';
import { assignSalesFacts } from './sales-facts.ts';
import { simulateSpend, simulateTraffic } from './simulate-media.ts';

export interface Opportunity {
  id: string;
  name: string;
  account: string;
  owner: string;
  createdMs: number; // day
  plannedCloseMs: number; // day
  outcome: 'won' | 'lost';
  amount: number;
  leadId: string;
  source: string;
  /** The lead's campaign (Salesforce's Primary Campaign Source); blank for none. */
  campaign: string;
  region: string;
  product: string;
  segment: string;
}

export interface Lead {
  id: string;
  createdMs: number;
  source: string;
  campaign: string;
  firstName: string;
  lastName: string;
  email: string;
  company: Company;
  message: string;
  mqlMs?: number;
  sqlMs?: number;
  sqlStatus?: 'Accepted' | 'Rejected';
  customerMs?: number;
  opportunity?: Opportunity;
}

export interface Customer {
  id: string;
  startedMs: number; // day
  churnedMs?: number; // day
  mrr: number;
  marketingSourced: boolean;
  fileMonth: string; // month whose file first lists the customer
}

export interface SpendRow {
  dayMs: number;
  campaign: string;
  channel: string;
  category: 'marketing' | 'sales';
  cost: number;
}

export interface TrafficRow {
  dayMs: number;
  channel: string;
  sessions: number;
  engaged: number;
  keyEvents: number;
}

export interface World {
  leads: Lead[];
  opportunities: Opportunity[];
  customers: Customer[];
  spend: Map<string, SpendRow[]>;
  traffic: Map<string, TrafficRow[]>;
  webinars: Map<string, Webinar[]>;
  events: Map<string, Event>;
}

export function simulate(seed: number): World {
  const rng = new Rng(seed);
  const { leads, opportunities, webinars, events } = simulateLeads(rng);
  assignSalesFacts(opportunities); // from a generator of its own: `rng` draws what it always drew
  const customers = simulateCustomers(rng, leads);
  const spend = simulateSpend(rng, webinars, events);
  const traffic = simulateTraffic(rng);
  return { leads, opportunities, customers, spend, traffic, webinars, events };
}
