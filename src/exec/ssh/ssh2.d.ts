// The little of ssh2 (node-ssh's engine, no bundled types) that this code calls directly.
declare module "ssh2" {
  const ssh2: {
    utils: { parseKey(data: string | Buffer, passphrase?: string): unknown | Error };
  };
  export default ssh2;
}
