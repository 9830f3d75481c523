module.exports = () => ({
  auth: { secret: 'bench-admin-secret' },
  apiToken: { salt: 'bench-api-token-salt' },
  transfer: { token: { salt: 'bench-transfer-salt' } },
  secrets: { encryptionKey: 'bench-encryption-key' },
  serveAdminPanel: false,
});
