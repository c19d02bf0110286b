// A real OpenID Provider for the single sign-on tests (oidc-provider from npm, run by Node on
// loopback): `node provider.mjs <port> <redirect uri> <post-logout uri>`. Its development login
// pages take any password for the accounts below; their `groups` say who may use Avoin.
import Provider from "oidc-provider";

const [port, redirect, afterLogout] = process.argv.slice(2);
const ACCOUNTS = {
  sanna: { name: "Sanna Koski", groups: ["avoin-users", "avoin-managers", "unit-hervanta"] },
  outsider: { name: "Olli Ulkona", groups: ["finance"] },
};
const client = (id) => ({
  client_id: id,
  client_secret: `${id}-secret`,
  redirect_uris: [redirect],
  post_logout_redirect_uris: [afterLogout],
  grant_types: ["authorization_code"],
  response_types: ["code"],
  token_endpoint_auth_method: "client_secret_basic",
});
const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [client("avoin"), client("another-app")],
  pkce: { required: () => true },
  scopes: ["openid", "profile", "groups"],
  claims: { openid: ["sub"], profile: ["name", "preferred_username"], groups: ["groups"] },
  conformIdTokenClaims: false, // the claims asked for by scope go into the ID token itself
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  ttl: { IdToken: 60, AccessToken: 60, AuthorizationCode: 60, Interaction: 600, Session: 600, Grant: 600 },
  loadExistingGrant: async (ctx) => {
    // Consent is the organisation's: every scope asked for is granted without a page.
    const grant = new provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope("openid profile groups");
    await grant.save();
    return grant;
  },
  findAccount: async (_ctx, id) =>
    ACCOUNTS[id] && {
      accountId: id,
      claims: async () => ({ sub: id, preferred_username: id, name: ACCOUNTS[id].name, groups: ACCOUNTS[id].groups }),
    },
});
provider.listen(Number(port), "127.0.0.1", () => console.log("ready"));
