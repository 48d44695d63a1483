import { MOTO_INSTALL_HINT, startMotoServer } from '../support/moto-server';

test('without moto_server, the demo and the tests say how to install it', async () => {
  const saved = process.env['MOTO_SERVER'];
  process.env['MOTO_SERVER'] = 'moto_server_that_is_not_installed';
  try {
    await expect(startMotoServer()).rejects.toThrow(`moto_server is not installed`);
    await expect(startMotoServer()).rejects.toThrow(MOTO_INSTALL_HINT);
  } finally {
    if (saved === undefined) delete process.env['MOTO_SERVER'];
    else process.env['MOTO_SERVER'] = saved;
  }
});
