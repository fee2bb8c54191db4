package io.daebug.client;
