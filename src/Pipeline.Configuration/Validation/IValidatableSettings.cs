namespace Pipeline.Configuration.Validation;

/// <summary>
/// A settings record with rules that span several of its keys (bands must divide permutations; a
/// lora block needs method lora). The binder calls <see cref="Validate"/> after binding the record,
/// so the rules live next to the keys they are about.
/// </summary>
public interface IValidatableSettings
{
    void Validate(SettingsValidationContext context);
}
