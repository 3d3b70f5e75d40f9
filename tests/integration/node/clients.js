// dockerode and testcontainers (npm) against `berth system service`:
// DOCKER_HOST names the socket, the image is a local one (no pulls).
// testcontainers runs without its Ryuk reaper (TESTCONTAINERS_RYUK_DISABLED).
"use strict";
const assert = require("assert");
const http = require("http");
const Docker = require("dockerode");
const { GenericContainer, Wait } = require("testcontainers");

const image = process.argv[2];
const docker = new Docker({ socketPath: process.env.DOCKER_HOST.replace(/^unix:\/\//, "") });

function get(url) {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve(body));
    }).on("error", reject);
  });
}

async function withDockerode() {
  const before = await docker.listContainers({ all: true });
  const container = await docker.createContainer({
    Image: image,
    Cmd: ["sh", "-c", "echo from-node; echo to-stderr >&2; sleep 0.5; echo done"],
    Labels: { suite: "node" },
  });
  const stream = await container.attach({ stream: true, stdout: true, stderr: true });
  let out = "", err = "";
  const stdout = new (require("stream").PassThrough)(), stderr = new (require("stream").PassThrough)();
  stdout.on("data", (d) => (out += d));
  stderr.on("data", (d) => (err += d));
  container.modem.demuxStream(stream, stdout, stderr);
  const ended = new Promise((resolve) => stream.on("end", resolve));
  await container.start();
  const listed = await docker.listContainers({ filters: { label: ["suite=node"] } });
  assert.deepStrictEqual(listed.map((c) => c.Id), [container.id]);
  const status = await container.wait();
  await ended;
  assert.strictEqual(status.StatusCode, 0);
  assert.strictEqual(out, "from-node\ndone\n");
  assert.strictEqual(err, "to-stderr\n");
  await container.remove();
  const after = await docker.listContainers({ all: true });
  assert.strictEqual(after.length, before.length);
  console.log("dockerode ok");
}

async function withTestcontainers() {
  const started = await new GenericContainer(image)
    .withCommand(["httpd", "-f", "-p", "80", "-h", "/www"])
    .withExposedPorts(80)
    .withWaitStrategy(Wait.forHttp("/", 80))
    .start();
  const url = `http://${started.getHost()}:${started.getMappedPort(80)}/`;
  assert.strictEqual(await get(url), "hello through the API\n");
  await started.stop();
  console.log("testcontainers ok");
}

(async () => {
  await withDockerode();
  await withTestcontainers();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
