// Credentials in real formats (made up), assembled at run time so the repository itself holds none whole.
export const samples = {
  github: 'ghp_' + 'wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx',
  stripe: 'sk_live_' + '51H8abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWX',
  awsSecret: 'tfD7zGfJQxkSjVQG/' + 'zFJmRSCnw7ZLO+4mHAjuYfX',
  openrouter: 'sk-or-v1-' + '0123456789abcdef'.repeat(4),
  postgresPassword: 'hunter2-' + 'Xq9',
  proxyPassword: 's3cret-' + 'proxy-pw',
  privateKeyBody: 'MIIEpAIBAAKCAQEA' + 'q1w2e3r4t5y6u7i8o9p0'.repeat(6),
};

export const dotEnv = [
  `DATABASE_URL=postgres://admin:${samples.postgresPassword}@db.example.com:5432/app`,
  `STRIPE_SECRET_KEY=${samples.stripe}`,
  `GITHUB_TOKEN=${samples.github}`,
  `AWS_SECRET_ACCESS_KEY=${samples.awsSecret}`,
  `OPENROUTER_API_KEY=${samples.openrouter}`,
  '',
].join('\n');

export const privateKey = `-----BEGIN RSA PRIVATE KEY-----\n${samples.privateKeyBody}\n-----END RSA PRIVATE KEY-----\n`;

export const everySecret = [samples.github, samples.stripe, samples.awsSecret, samples.openrouter, samples.postgresPassword, samples.proxyPassword, samples.privateKeyBody];
