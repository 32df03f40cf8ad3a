<?php

declare(strict_types=1);

namespace PhpBackend;

/** Where the database credentials are fetched from after ECS injected them at task start. */
interface SecretSource
{
    /** @return array{username: string, password: string} */
    public function databaseCredentials(string $secretArn): array;
}
