// stateof live preview: one event stream shared by every open preview tab. Browsers
// allow about six connections per host over HTTP/1.1; a stream per tab would use
// them up and stall the seventh tab's page loads.
"use strict";
const ports = new Set();
let last = null;
const events = new EventSource("/_stateof/events");
events.addEventListener("build", (event) => {
  last = event.data;
  for (const port of ports) port.postMessage(last);
});
onconnect = (event) => {
  const port = event.ports[0];
  ports.add(port);
  port.onmessage = (message) => {
    if (message.data === "bye") ports.delete(port);
  };
  if (last !== null) port.postMessage(last);
  port.start();
};
