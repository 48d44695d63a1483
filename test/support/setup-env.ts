// Every test process: no real AWS account, ever. Integration tests point the SDK at moto.
process.env['AWS_ACCESS_KEY_ID'] = 'testing';
process.env['AWS_SECRET_ACCESS_KEY'] = 'testing';
process.env['AWS_REGION'] = 'us-east-1';
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
process.env['POWERTOOLS_DEV'] = 'false';
delete process.env['AWS_PROFILE'];
delete process.env['AWS_SESSION_TOKEN'];
delete process.env['AWS_ENDPOINT_URL'];
