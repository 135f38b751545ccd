import { readFileSync } from "node:fs";
import { test, expect } from "./app.ts";

const index: { default: string; bundles: { id: string; title: string }[] } = JSON.parse(
  readFileSync(new URL("../public/samples/index.json", import.meta.url), "utf8"),
);

/** What each seed's README narrates: the lanes, and arrows as [label, from?, to?]. */
const NARRATED: Record<string, { lanes: string[]; arrows: [string, string?, string?][] }> = {
  "mra-oauth": {
    lanes: ["jabber", "expe", "expc", "cucm"],
    arrows: [
      ["GET get_edge_sso", "jabber", "expe"],
      ["GET authorize", "jabber", "expe"],
      ["POST localauthentication", "expe", "expc"],
      ["POST authorize_proxy", "expc", "cucm"],
      ["302 Found localauthentication", "expc", "expe"],
    ],
  },
  "mra-sasl-failure": {
    lanes: ["jabber", "expe", "expc", "imp"],
    arrows: [["SASL auth CISCO-VTG-TOKEN", "expc", "imp"], ["SASL: no common mechanism"]],
  },
  "onprem-login": {
    lanes: ["jabber", "cucm", "imp", "ldap"],
    arrows: [
      ["SOAP login", "jabber", "imp"],
      ["bind success", "ldap", "cucm"],
      ["SASL success", "imp", "jabber"],
    ],
  },
  "cti-deskphone": {
    lanes: ["jabber", "cucm", "ldap"],
    arrows: [
      ["CTI ProviderOpenRequest", "jabber", "cucm"],
      ["CTI DeviceOpenResponse", "cucm", "jabber"],
    ],
  },
  "ims-failures": { lanes: ["imp"], arrows: [["IMS result 3"]] },
};

test("the page opens on the default sample", async ({ app }) => {
  await app.open();
  await expect(app.page.getByTestId("sample-picker")).toHaveValue(index.default);
  await expect(app.arrows().first()).toBeVisible();
});

test("the sample picker offers every bundle", async ({ app }) => {
  await app.open();
  const offered = await app.page
    .getByTestId("sample-picker")
    .locator("option")
    .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(offered).toEqual(index.bundles.map((b) => b.id));
});

for (const bundle of index.bundles) {
  test(`sample ${bundle.id}: lanes and arrows appear`, async ({ app }) => {
    await app.open(`?sample=${bundle.id}`);
    const model = await app.model();
    expect(model.messages.length).toBeGreaterThan(0);
    // Lanes in the model's (canonical) order, each headed in the diagram.
    await expect(app.lanes()).toHaveCount(model.lanes.length);
    expect(await app.laneIds()).toEqual(model.lanes);
    const narrated = NARRATED[bundle.id];
    if (narrated) for (const lane of narrated.lanes) expect(model.lanes).toContain(lane);
    await app.screenshot(`sample-${bundle.id}`);
    await app.fit();
    await expect(app.arrows()).toHaveCount(model.messages.length);
    for (const [label, from, to] of narrated?.arrows ?? []) {
      const id = await app.messageId(label, from, to);
      await expect(app.arrow(id)).toBeVisible();
    }
    await app.screenshot(`sample-${bundle.id}-fit`);
  });
}
