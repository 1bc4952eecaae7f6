/** The package ships no types: its one export tests a lower-case password against its list. */
declare module "fxa-common-password-list" {
  const list: { test(password: string): boolean };
  export default list;
}
