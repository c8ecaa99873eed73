// Prints, for each payload file, whether Ajv (an independent JSON Schema validator) finds it
// valid against webhook.schema.json, as one JSON line {"file": ..., "valid": ...}.
// Usage: node ajv-verdicts.cjs SCHEMA_DIR FILE...   (Ajv found through NODE_PATH)
"use strict";
const fs = require("fs");
const path = require("path");
const Ajv2020 = require("ajv/dist/2020").default;

const [schemaDir, ...files] = process.argv.slice(2);
const ajv = new Ajv2020({ strict: false, allErrors: true });
for (const name of fs.readdirSync(schemaDir).filter((n) => n.endsWith(".schema.json"))) {
  ajv.addSchema(JSON.parse(fs.readFileSync(path.join(schemaDir, name), "utf8")));
}
const validate = ajv.getSchema("https://carik.id/schema/webhook/webhook.schema.json");
for (const file of files) {
  let valid;
  try {
    valid = validate(JSON.parse(fs.readFileSync(file, "utf8")));
  } catch (e) {
    valid = false; // not JSON at all
  }
  console.log(JSON.stringify({ file, valid }));
}
