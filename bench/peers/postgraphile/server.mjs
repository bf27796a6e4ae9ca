// PostGraphile 5 over the hub's own PostgreSQL tables: the peer bench.portal_load measures the hub against.
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test PG_SCHEMA=bench_x PORT=5678 node server.mjs
//
// One process, one pg pool (PG_POOL_SIZE, default 10 like the hub's pool_size), no GraphiQL, no watch mode, no
// explain: what a production deployment would run. The amber preset exposes every foreign key as a relation
// (cases.child_id -> childByChildId, found_cases/care_cases.case_id -> foundCaseByCaseId/careCaseByCaseId, ...), so
// the hub's tables need no smart tags for the page's shape.
import { createServer } from "node:http";
import { postgraphile } from "postgraphile";
import { makePgService } from "postgraphile/adaptors/pg";
import { grafserv } from "postgraphile/grafserv/node";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";

const connectionString = process.env.DATABASE_URL;
const schema = process.env.PG_SCHEMA;
const port = Number(process.env.PORT ?? "5678");
const host = process.env.HOST ?? "127.0.0.1";
const poolSize = Number(process.env.PG_POOL_SIZE ?? "10");
if (!connectionString || !schema) {
  console.error("DATABASE_URL and PG_SCHEMA are required");
  process.exit(2);
}

const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [
    makePgService({ connectionString, poolConfig: { max: poolSize }, schemas: [schema], pubsub: false }),
  ],
  grafserv: { port, host, graphiql: false, watch: false, dangerouslyAllowAllCORSRequests: false },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.keepAliveTimeout = 65_000; // the load generator keeps its connections; don't race it closing them
server.on("error", (e) => {
  console.error(e);
  process.exit(1);
});
await serv.addTo(server);
await pgl.getSchemaResult(); // introspect before announcing the port, so the first measured request is not the build
server.listen(port, host, () => console.log(`PostGraphile ${port} ready`));

const stop = async () => {
  server.close();
  await pgl.release();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
