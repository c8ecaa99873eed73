// Signs and verifies with the official Standard Webhooks library (npm "standardwebhooks"),
// for the SDK's interop test. Found through NODE_PATH.
//   node standardwebhooks.cjs sign SECRET ID UNIX_SECONDS BODY_FILE   -> prints the signature header
//   node standardwebhooks.cjs verify SECRET HEADERS_JSON BODY_FILE    -> prints "ok" or the error
//   node standardwebhooks.cjs verify-many SECRET HEADER_LIST_FILE BODY_FILE
//        -> for each headers object of the JSON list, one line: "ok" or the error
"use strict";
const fs = require("fs");
const { Webhook } = require("standardwebhooks");

const [cmd, secret, ...rest] = process.argv.slice(2);
const wh = new Webhook(secret);
if (cmd === "sign") {
  const [id, seconds, file] = rest;
  console.log(wh.sign(id, new Date(Number(seconds) * 1000), fs.readFileSync(file, "utf8")));
} else if (cmd === "verify") {
  const [headers, file] = rest;
  try {
    wh.verify(fs.readFileSync(file, "utf8"), JSON.parse(headers));
    console.log("ok");
  } catch (e) {
    console.log(String(e && e.message));
  }
} else if (cmd === "verify-many") {
  const [list, file] = rest;
  const body = fs.readFileSync(file, "utf8");
  for (const headers of JSON.parse(fs.readFileSync(list, "utf8"))) {
    try {
      wh.verify(body, headers);
      console.log("ok");
    } catch (e) {
      console.log(String(e && e.message).replace(/\n/g, " "));
    }
  }
} else {
  console.error("unknown command " + cmd);
  process.exit(2);
}
