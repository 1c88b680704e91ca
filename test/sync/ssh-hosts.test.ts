import { execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kbBin, skipping, tempDir } from "../helpers/index.js";
import { git } from "./fixture.js";

const SSHD = "/usr/sbin/sshd";

/** Why this machine cannot run the two-host test, or null when it can. */
function cannotRun(): string | null {
  if (process.getuid?.() !== 0)
    return "needs root to create network namespaces (ip netns); run as root as CI does";
  if (!existsSync(SSHD)) return `${SSHD} is missing; scripts/test-deps.sh installs openssh-server`;
  try {
    execFileSync("ip", ["-V"], { stdio: "ignore" });
  } catch {
    return "the ip command (iproute2) is missing; scripts/test-deps.sh installs it";
  }
  return null;
}

/** The pid sshd writes once it listens (the file can exist, still empty, for a moment). */
async function readPid(path: string): Promise<number | undefined> {
  for (let i = 0; i < 50; i++) {
    const pid = existsSync(path) ? Number(readFileSync(path, "utf8").trim()) : 0;
    if (pid > 0) return pid;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

const sh = (cmd: string, args: string[]) =>
  execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

/** Run kb inside a namespace, as cron would there. */
function kbIn(ns: string, config: string, env: NodeJS.ProcessEnv, args: string[]) {
  return new Promise<{ code: number | null; json: Record<string, unknown> }>((resolve, reject) => {
    const child = spawn(
      "ip",
      ["netns", "exec", ns, process.execPath, kbBin, "--config", config, ...args, "--json"],
      {
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, json: out.trim() ? JSON.parse(out) : {} }));
  });
}

describe("two real hosts over SSH in network namespaces", () => {
  it("syncs both hosts over ssh://, survives a link cut mid-push, loses nothing", async (ctx) => {
    const why = cannotRun();
    if (skipping("two real hosts over SSH", why)) {
      ctx.skip(why!);
      return;
    }
    const id = `${process.pid % 10000}`;
    const [nsHub, nsMac] = [`kbhub${id}`, `kbmac${id}`];
    const [vHub, vMac] = [`vkh${id}`, `vkm${id}`];
    const [ipHub, ipMac] = ["10.213.7.1", "10.213.7.2"];
    const root = tempDir("kb-ssh-");
    let sshdPid: number | undefined;
    let sshd: ReturnType<typeof spawn> | undefined;
    try {
      sh("ip", ["netns", "add", nsHub]);
      sh("ip", ["netns", "add", nsMac]);
      sh("ip", ["link", "add", vHub, "type", "veth", "peer", "name", vMac]);
      sh("ip", ["link", "set", vHub, "netns", nsHub]);
      sh("ip", ["link", "set", vMac, "netns", nsMac]);
      for (const [ns, dev, ip] of [
        [nsHub, vHub, ipHub],
        [nsMac, vMac, ipMac],
      ] as const) {
        sh("ip", ["-n", ns, "addr", "add", `${ip}/24`, "dev", dev]);
        sh("ip", ["-n", ns, "link", "set", dev, "up"]);
        sh("ip", ["-n", ns, "link", "set", "lo", "up"]);
      }
      // sshd in the hub's namespace with its own host key and one authorised client key.
      mkdirSync("/run/sshd", { recursive: true });
      sh("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(root, "host_key")]);
      sh("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(root, "client_key")]);
      writeFileSync(join(root, "authorized_keys"), readFileSync(join(root, "client_key.pub")));
      chmodSync(join(root, "authorized_keys"), 0o600);
      writeFileSync(
        join(root, "sshd_config"),
        [
          `ListenAddress ${ipHub}`,
          "Port 2222",
          `HostKey ${join(root, "host_key")}`,
          `AuthorizedKeysFile ${join(root, "authorized_keys")}`,
          `PidFile ${join(root, "sshd.pid")}`,
          "PermitRootLogin prohibit-password",
          "PasswordAuthentication no",
          "StrictModes no",
          "UsePAM no",
          "ClientAliveInterval 1",
          "ClientAliveCountMax 3",
        ].join("\n"),
      );
      // In the foreground (-D) as our child, so killing it also reaps it.
      sshd = spawn(
        "ip",
        ["netns", "exec", nsHub, SSHD, "-D", "-f", join(root, "sshd_config"), "-E", join(root, "sshd.log")],
        {
          stdio: "ignore",
        },
      );
      sshdPid = await readPid(join(root, "sshd.pid"));
      if (!sshdPid) throw new Error(`sshd did not start: ${readFileSync(join(root, "sshd.log"), "utf8")}`);

      const hubPath = join(root, "hub.git");
      sh("git", ["init", "-q", "--bare", "--initial-branch=main", hubPath]);
      const url = `ssh://root@${ipHub}:2222${hubPath}`;
      const env = {
        // The host key is new each run; the client key comes from sync.sshKey, as a deploy key would.
        KB_GIT_SSH: `ssh -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no -o LogLevel=ERROR -o BatchMode=yes -o ConnectTimeout=3 -o ServerAliveInterval=1 -o ServerAliveCountMax=2`,
      };
      const host = (name: string, seed: Record<string, string>) => {
        const dir = join(root, name);
        for (const [p, t] of Object.entries(seed)) {
          mkdirSync(join(dir, "brain", p, ".."), { recursive: true });
          writeFileSync(join(dir, "brain", p), t);
        }
        mkdirSync(dir, { recursive: true });
        const config = join(dir, "kb.config.yaml");
        writeFileSync(
          config,
          JSON.stringify({
            host: name,
            brain: "./brain",
            state: "./state",
            reports: "./reports",
            sync: {
              hub: url,
              deadlineSeconds: 20,
              sshConnectTimeoutSeconds: 3,
              sshKey: join(root, "client_key"),
            },
          }),
        );
        return { dir, brain: join(dir, "brain"), config };
      };
      const vps = host("vps", { "people.md": "# People\n\n- Ada is the CEO.\n" });
      const mac = host("mac", {});
      expect((await kbIn(nsHub, vps.config, env, ["init"])).code).toBe(0);
      expect((await kbIn(nsMac, mac.config, env, ["init"])).code).toBe(0);
      writeFileSync(join(vps.brain, "people.md"), "# People\n\n- Ada is the CEO.\n- Bo runs finance.\n");
      expect((await kbIn(nsHub, vps.config, env, ["sync"])).json.result).toBe("ok");

      // Cut the mac's link while the hub is receiving its push.
      writeFileSync(join(mac.brain, "people.md"), "# People\n\n- Cy leads retail.\n- Ada is the CEO.\n");
      writeFileSync(
        join(hubPath, "hooks", "pre-receive"),
        `#!/bin/sh\ncat >/dev/null\ntouch "${root}/receiving"\nsleep 3\n`,
      );
      chmodSync(join(hubPath, "hooks", "pre-receive"), 0o755);
      const cut = (async () => {
        for (let i = 0; i < 200 && !existsSync(join(root, "receiving")); i++)
          await new Promise((r) => setTimeout(r, 50));
        sh("ip", ["-n", nsMac, "link", "set", vMac, "down"]);
      })();
      const broken = await kbIn(nsMac, mac.config, env, ["sync"]);
      await cut;
      expect(existsSync(join(root, "receiving")), "the push reached the hub before the cut").toBe(true);
      expect([broken.code, broken.json.result]).toEqual([5, "network"]);
      writeFileSync(join(hubPath, "hooks", "pre-receive"), "#!/bin/sh\ncat >/dev/null\n");
      sh("ip", ["-n", nsMac, "link", "set", vMac, "up"]);

      const healed = await kbIn(nsMac, mac.config, env, ["sync"]);
      expect(healed.json.result, JSON.stringify(healed.json)).toBe("ok");
      expect((await kbIn(nsHub, vps.config, env, ["sync"])).json.result).toBe("ok");
      expect((await kbIn(nsMac, mac.config, env, ["sync"])).json).toMatchObject({
        result: "ok",
        commitsIn: 0,
        commitsOut: 0,
      });
      const people = readFileSync(join(vps.brain, "people.md"), "utf8");
      expect(people).toBe(readFileSync(join(mac.brain, "people.md"), "utf8"));
      for (const fact of ["Ada is the CEO.", "Bo runs finance.", "Cy leads retail."])
        expect(people).toContain(fact);
      expect(git(vps.brain, "rev-parse", "HEAD")).toBe(git(mac.brain, "rev-parse", "HEAD"));
    } finally {
      sshd?.kill("SIGTERM");
      if (sshdPid && sshdPid !== sshd?.pid) {
        try {
          process.kill(sshdPid, "SIGTERM");
        } catch {
          // already gone
        }
      }
      for (const ns of [nsHub, nsMac]) {
        try {
          sh("ip", ["netns", "del", ns]);
        } catch {
          // never created
        }
      }
    }
  }, 120_000);
});
