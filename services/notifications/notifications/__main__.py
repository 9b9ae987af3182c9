from notifications.service import console_script

console_script()
