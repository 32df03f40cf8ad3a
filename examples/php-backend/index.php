<?php

declare(strict_types=1);

// Front controller for PHP's built-in server (`php -S 0.0.0.0:$SERVICE_PORT index.php`): every
// request comes here and starts afresh (credentials re-read after a rotation last one request); the
// service writes nothing itself, see php.ini for request bodies over 16 KiB.

use PhpBackend\App;
use PhpBackend\AwsSecretSource;
use PhpBackend\Database;
use PhpBackend\PdoProductCatalog;
use PhpBackend\Settings;

require __DIR__ . '/vendor/autoload.php';

/** @var array<string, string> $env */
$env = getenv();
$settings = Settings::fromEnvironment($env);
$catalog = null;
if ($settings->hasDatabase()) {
    $region = $env['AWS_REGION'] ?? $env['AWS_DEFAULT_REGION'] ?? 'us-east-1';
    $catalog = new PdoProductCatalog(new Database($settings, AwsSecretSource::forRegion($region)));
}

$response = (new App($settings, $catalog))->handle($_SERVER['REQUEST_METHOD'] ?? 'GET', $_SERVER['REQUEST_URI'] ?? '/');
http_response_code($response->status);
foreach ($response->headers as $name => $value) {
    header("{$name}: {$value}");
}
echo $response->body;
