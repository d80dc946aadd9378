import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
const t0 = Date.now();
const db = await PGlite.create({ extensions: { postgis } });
await db.exec('CREATE EXTENSION IF NOT EXISTS postgis');
console.log('ready', Date.now() - t0);
console.log((await db.query(`select postgis_full_version() v, ST_AsText(ST_TileEnvelope(1,0,0)) e`)).rows);
try { console.log((await db.query(`select ST_AsMVT(q) from (select 1 as a, ST_AsMVTGeom(ST_Point(0,0,3857), ST_TileEnvelope(0,0,0)) g) q`)).rows) } catch (e) { console.log('mvt err', (e as Error).message) }
const t1 = Date.now();
const blob = await db.dumpDataDir('none');
console.log('dump', Date.now()-t1, blob.size);
const t2 = Date.now();
const db2 = await PGlite.create({ extensions: { postgis }, loadDataDir: blob });
console.log((await db2.query(`select ST_AsText(ST_Buffer(ST_Point(0,0),1,2)) b`)).rows, 'load', Date.now()-t2);
