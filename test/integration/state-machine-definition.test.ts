import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { EMULATOR_CREDENTIALS } from '../support/organization-fixture';
import { motoUrl } from '../support/emulator';
import { synthesizeStack, TEST_CONTEXT } from '../support/synth';

/**
 * fanOut=distributed's state machine definition, as synthesized, accepted by moto's Step
 * Functions, whose Amazon States Language parser checks it.
 */

const { resolved } = synthesizeStack({ ...TEST_CONTEXT, fanOut: 'distributed' });
const [machineId] = resolved.ofType('AWS::StepFunctions::StateMachine')[0] ?? [''];
const definitionText = String(resolved.property(machineId, 'DefinitionString'));

test("moto's Step Functions (its Amazon States Language parser on) accepts the synthesized definition, and refuses a broken one", async () => {
  const url = motoUrl();
  const configure = (execute: boolean) =>
    fetch(`${url}/moto-api/config`, {
      method: 'POST',
      body: JSON.stringify({ stepfunctions: { execute_state_machine: execute } }),
    });
  const client = new SFNClient({ endpoint: url, region: 'eu-west-1', credentials: EMULATOR_CREDENTIALS });
  await configure(true);
  try {
    const roleArn = 'arn:aws:iam::123456789012:role/account-janitor-states';
    const created = await client.send(
      new CreateStateMachineCommand({ name: 'account-janitor-distributed', definition: definitionText, roleArn }),
    );
    expect(created.stateMachineArn).toMatch(/:stateMachine:account-janitor-distributed$/);
    // The parser is on: a state of a type that does not exist is refused.
    const broken = definitionText.replace('"Type":"Map"', '"Type":"Mapp"');
    await expect(
      client.send(new CreateStateMachineCommand({ name: 'broken', definition: broken, roleArn })),
      // (moto answers InvalidDefinition with an error type the SDK cannot read; its status is what counts)
    ).rejects.toHaveProperty('$response.statusCode', 400);
  } finally {
    await configure(false);
    client.destroy();
  }
});
