import type { Role } from '../../models/fleet-catalog.js';
import { ADMINS } from '../../models/fleet-catalog.js';
import { Rng } from './rng.js';

export interface FleetHost {
  host_idx: number;
  host: string;
  fqdn: string;
  role: Role;
  /** The workstation's user; on servers the role's operator account. */
  owner: string;
  svc_account: string;
  ip: string;
  /** Background process starts per day before the rate multiplier. */
  base_rate: number;
  /** 0, 1, ... among jump hosts; -1 otherwise. */
  jump_rank: number;
}

export const DOMAIN = 'contoso.local';

/** Share of each server role; the rest are workstations. */
const ROLE_SHARE: readonly [Role, number, string, number, number][] = [
  // role, share, name prefix, subnet octet, base rate
  ['dc', 0.03, 'dc', 1, 1500],
  ['sql', 0.05, 'sql', 2, 1300],
  ['iis', 0.06, 'web', 3, 1500],
  ['file', 0.04, 'file', 4, 1100],
  ['app', 0.08, 'app', 5, 1400],
];

const FIRST = ['james', 'mary', 'robert', 'patricia', 'john', 'jennifer', 'michael', 'linda', 'david', 'elizabeth', 'william', 'barbara', 'richard', 'susan', 'joseph', 'jessica', 'thomas', 'sarah', 'charles', 'karen', 'wei', 'priya', 'ahmed', 'yuki', 'olga', 'carlos', 'fatima', 'lars'];
const LAST = ['smith', 'johnson', 'williams', 'brown', 'jones', 'garcia', 'miller', 'davis', 'rodriguez', 'martinez', 'hernandez', 'lopez', 'wilson', 'anderson', 'thomas', 'taylor', 'moore', 'jackson', 'martin', 'lee', 'chen', 'patel', 'khan', 'tanaka', 'ivanova', 'silva', 'nielsen'];

/** The fleet's hosts: servers of each role, two jump hosts, workstations. Deterministic per seed. */
export function buildFleet(hostCount: number, seed: number): FleetHost[] {
  const rng = new Rng(seed, 'fleet');
  const hosts: FleetHost[] = [];
  const add = (role: Role, name: string, octet: number, baseRate: number, owner: string, jumpRank = -1) => {
    const idx = hosts.length;
    hosts.push({
      host_idx: idx, host: name, fqdn: `${name}.${DOMAIN}`, role, owner, svc_account: `svc_${role}`,
      ip: `10.${octet}.${Math.floor(idx / 250)}.${(idx % 250) + 1}`,
      base_rate: Math.round(baseRate * (0.8 + 0.4 * rng.next())), jump_rank: jumpRank,
    });
  };
  const jumps = hostCount >= 10 ? 2 : hostCount >= 4 ? 1 : 0;
  for (let j = 0; j < jumps; j++) add('jump', `jump${String(j + 1).padStart(2, '0')}`, 6, 1200, ADMINS[j % ADMINS.length]!, j);
  for (const [role, share, prefix, octet, rate] of ROLE_SHARE) {
    const n = Math.max(hostCount >= 8 ? 1 : 0, Math.round(hostCount * share));
    for (let i = 1; i <= n && hosts.length < hostCount; i++) add(role, `${prefix}${String(i).padStart(2, '0')}`, octet, rate, `svc_${role}`);
  }
  const usedNames = new Set<string>();
  for (let i = 1; hosts.length < hostCount; i++) {
    // First initial and last name; a number when the name is taken (large fleets).
    const base = `${rng.pick(FIRST)[0]}${rng.pick(LAST)}`;
    const user = usedNames.has(base) ? `${base}${i}` : base;
    usedNames.add(user);
    add('wks', `wks-${String(i).padStart(4, '0')}`, 10, 1200, user);
  }
  return hosts;
}
