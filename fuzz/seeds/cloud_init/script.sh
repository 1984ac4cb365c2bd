#!/bin/sh
echo hello > /tmp/x
