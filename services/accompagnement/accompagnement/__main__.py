from accompagnement.service import console_script

console_script()
