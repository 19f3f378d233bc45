import pg from "pg";
const c = new pg.Client(process.env.DATABASE_URL); await c.connect();
const s = ["ÄÖÜ Straße", "İstanbul", "ΟΔΟΣ", "ǅ"];
for (const x of s) {
  const r = await c.query(`SELECT lower($1 COLLATE pg_unicode_fast) a, lower($1 COLLATE pg_c_utf8) b, version() v, pg_input_is_valid('2026-02-30','timestamptz') d, current_setting('TimeZone') tz`, [x]);
  console.log(JSON.stringify(x.toLowerCase()), JSON.stringify(r.rows[0].a), JSON.stringify(r.rows[0].b), r.rows[0].d, r.rows[0].tz);
}
const r2 = await c.query(`select collname, collprovider from pg_collation where collprovider='i' limit 3`); console.log(r2.rows);
await c.end();
