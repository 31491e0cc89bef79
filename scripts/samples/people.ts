/** People, companies and owners that leads and deals are made of. */
import { type Rng } from './random.ts';

// People and companies (a few non-ASCII names on purpose).
export const FIRST_NAMES = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William',
  'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Daniel', 'Karen', 'Priya', 'Wei', 'Ahmed',
  'Olivia', 'Lucas', 'Emma', 'Noah', 'Sofia', 'Liam', 'Mia', 'Ethan', 'Chloe', 'Aisha', 'Kenji', 'Fatima', 'Mateo',
  'José', 'Zoë', 'Björn', 'Łukasz', 'François', 'Søren', 'Ana María', 'Renée', 'Jürgen', 'Inès',
];
export const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor', 'Thomas',
  'Moore', 'Martin', 'Jackson', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Walker', 'Patel', 'Chen', 'Nguyen',
  'Kim', 'Singh', 'Rossi', 'Novak', 'Schmidt', 'Dubois', 'Jensen', "O'Brien", 'Müller', 'García', 'Núñez',
  'Kowalczyk', 'Ødegaard', 'Çelik', 'Sánchez', '山田', 'Lindqvist',
];
const COMPANY_WORDS_A = [
  'Acme', 'Brightline', 'Nordwind', 'Bluepeak', 'Cobalt', 'Evergreen', 'Foxglove', 'Granite', 'Helix', 'Ironwood',
  'Juniper', 'Keystone', 'Lumen', 'Meridian', 'Northstar', 'Orbit', 'Pinnacle', 'Quartz', 'Redwood', 'Summit',
  'Tidal', 'Umbra', 'Vertex', 'Willow', 'Zenith', 'Atlas', 'Beacon', 'Crescent', 'Delta', 'Ember', 'Fjord',
  'Größe', 'Étoile', 'Kōgen',
];
const COMPANY_WORDS_B = [
  'Analytics', 'Labs', 'Systems', 'Software', 'Logistics', 'Health', 'Robotics', 'Cloud', 'Data', 'Media',
  'Retail', 'Energy', 'Foods', 'Capital', 'Networks', 'Studios', 'Works', 'Partners',
];
const COMPANY_SUFFIXES = ['', '', '', 'Inc.', 'Ltd', 'GmbH', 'LLC', 'S.A.', 'AB', 'B.V.'];
export const OWNERS = ['Dana Whitfield', 'Marco Bianchi', 'Zoë Schäfer', 'Kwame Mensah', 'Hannah Lee', 'Raúl Ortega'];
export const MESSAGES = [
  'Interested in a demo for our team.',
  'Hi,\nwe would like pricing for 25 seats, billed annually.',
  'Saw your talk — can we set up a call next week?',
  'Please send the "Benchmark Report" PDF.',
  'We use Salesforce, HubSpot and Google Ads; does it integrate with all three?',
  'Hello,\n\nLooking for a replacement for our current spreadsheet process.\nThanks!',
];

export function asciiSlug(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/ø/gi, 'o')
    .replace(/ł/gi, 'l')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

export interface Company {
  name: string;
  domain: string;
}
export function makeCompany(rng: Rng): Company {
  if (rng.chance(0.004)) return { name: 'Café "Central" GmbH', domain: 'cafe-central.at' };
  const a = rng.pick(COMPANY_WORDS_A);
  const b = rng.pick(COMPANY_WORDS_B);
  const suffix = rng.pick(COMPANY_SUFFIXES);
  const base = `${a} ${b}`;
  const name = suffix === '' ? base : suffix === 'Inc.' || suffix === 'LLC' ? `${base}, ${suffix}` : `${base} ${suffix}`;
  const tld = suffix === 'GmbH' ? 'de' : suffix === 'Ltd' ? 'co.uk' : suffix === 'AB' ? 'se' : suffix === 'B.V.' ? 'nl' : suffix === 'S.A.' ? 'es' : 'com';
  return { name, domain: `${asciiSlug(a) || 'co'}${asciiSlug(b)}.${tld}` };
}
