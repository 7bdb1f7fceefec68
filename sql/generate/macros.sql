-- parameters: gen_services VARCHAR[]
-- (gen_values reads gen_services, the catalog's service names, when it is called: runModel sets it
-- here, once per generator session, with its type.)
-- Deterministic pseudo-randomness for the synthetic fleet: every value is a hash of the seed and
-- the event's coordinates, so the same seed gives the same fleet on any machine and thread count.

-- Uniform in [0, 1) from a hash.
CREATE OR REPLACE TEMP MACRO gen_u(r) AS (r % 1000003) / 1000003.0;

-- A GUID from a 32-hex-digit md5.
CREATE OR REPLACE TEMP MACRO gen_guid(m) AS
  substr(m, 1, 8) || '-' || substr(m, 9, 4) || '-4' || substr(m, 14, 3) || '-a' || substr(m, 18, 3) || '-' || substr(m, 21, 12);

-- The placeholder values of one event (see models/fleet-catalog.ts), computed once per event as a
-- struct; gen_fill then only looks them up (computing them inside every replace() cost 20x more).
-- r: UBIGINT hash; m1, m2: md5 text.
CREATE OR REPLACE TEMP MACRO gen_values(r, m1, m2, ts, user_name, other_host) AS {
  'guid': gen_guid(m1),
  'guid2': gen_guid(m2),
  'ver': '10.0.' || (17763 + r % 3000)::VARCHAR || '.' || ((r >> 12) % 2500)::VARCHAR,
  'temp': 'tmp' || upper(substr(m2, 1, 4)) || '.tmp',
  'date': strftime(ts, '%Y%m%d'),
  'time': strftime(ts, '%H%M%S'),
  'user': user_name,
  'hash': m1 || m2,
  'num': (10000000 + (r >> 3) % 89999999)::VARCHAR,
  'port': (1000 + (r >> 17) % 9000)::VARCHAR,
  'rand': substr(m2, 9, 8),
  'hostn': other_host,
  'svc': getvariable('gen_services')[(1 + (r >> 23) % len(getvariable('gen_services')))::BIGINT]
};

-- Fill a template's placeholders from gen_values.
CREATE OR REPLACE TEMP MACRO gen_fill(t, v) AS
  replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(t,
    '{GUID}', v.guid), '{GUID2}', v.guid2), '{VER}', v.ver), '{TEMP}', v.temp), '{DATE}', v.date),
    '{TIME}', v.time), '{USER}', v.user), '{HASH}', v.hash), '{NUM}', v.num), '{PORT}', v.port),
    '{RAND}', v.rand), '{HOSTN}', v.hostn), '{SVC}', v.svc);

-- Session logon ids: lowercase hex like Windows' ('0x5a3f21').
CREATE OR REPLACE TEMP MACRO gen_logon_id(r) AS '0x' || lower(hex(65536 + r % 16000000));

-- Windows process ids are multiples of 4.
CREATE OR REPLACE TEMP MACRO gen_pid(r) AS (100 + r % 16000) * 4;

-- An interval of x microseconds (x may be a DOUBLE or an unsigned hash).
CREATE OR REPLACE TEMP MACRO gen_us(x) AS to_microseconds((x)::BIGINT);
